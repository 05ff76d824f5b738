import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CaseOutcome, WorkerJob } from './fuzz-worker.js';
import type { FuzzTarget } from './targets.js';

export interface FuzzFinding { readonly seed: number; readonly error: string }
export interface FuzzResult {
  readonly target: string;
  readonly runs: number;
  readonly accepted: number;
  readonly refused: number;
  readonly crashes: readonly FuzzFinding[];
  /** Cases that ran past the time limit: stopped, or finished too late. */
  readonly hangs: readonly FuzzFinding[];
}

/** A case slower than this is a hang: every parser answers a fixture-sized input in milliseconds. */
export const CASE_TIME_LIMIT_MS = 2000;

/**
 * Runs `iterations` mutated inputs through a target in a worker; a case that passes the time limit
 * is stopped with the worker, counted as a hang, and the run continues in a fresh worker. Every
 * finding is kept with the seed that makes it (case i uses seed + i).
 */
export async function fuzzTarget(target: FuzzTarget, iterations: number, seed: number, limitMs = CASE_TIME_LIMIT_MS): Promise<FuzzResult> {
  const counts = { accepted: 0, refused: 0 };
  const crashes: FuzzFinding[] = [];
  const hangs: FuzzFinding[] = [];
  let next = 0;
  // The runner owns the cases' folder: a worker stopped in a hang never reaches its own clean-up.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-fuzz-'));
  try {
    while (next < iterations) {
      const stoppedAt = await runWorker({ target: target.name, from: next, to: iterations, seed, dir }, limitMs, (r) => {
        next = r.index + 1;
        if (r.ms > limitMs) hangs.push({ seed: seed + r.index, error: `took ${r.ms.toFixed(0)} ms (${r.outcome})` });
        else if (r.outcome === 'crash') crashes.push({ seed: seed + r.index, error: r.error ?? 'unknown' });
        else counts[r.outcome]++;
      });
      // A worker stopped after its last answer, while exiting, left no case unanswered.
      if (stoppedAt === null || stoppedAt >= iterations) break;
      hangs.push({ seed: seed + stoppedAt, error: `no answer within ${limitMs} ms; stopped` });
      next = stoppedAt + 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { target: target.name, runs: iterations, ...counts, crashes, hangs };
}

/** Resolves null when the worker finished its cases, or the index of the case it was stopped in. */
function runWorker(job: WorkerJob, limitMs: number, onCase: (r: CaseOutcome) => void): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: job });
    let current = job.from;
    let lastAnswer = Number.POSITIVE_INFINITY;
    let stopped = false;
    const watch = setInterval(() => {
      if (performance.now() - lastAnswer <= limitMs) return;
      stopped = true;
      void worker.terminate();
    }, 50);
    worker.on('message', (m: CaseOutcome | { ready: true }) => {
      lastAnswer = performance.now();
      if ('ready' in m) return;
      onCase(m);
      current = m.index + 1;
    });
    worker.on('error', (e) => {
      clearInterval(watch);
      reject(e);
    });
    worker.on('exit', () => {
      clearInterval(watch);
      resolve(stopped ? current : null);
    });
  });
}
