import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from '../../src/util/random.js';
import { mutate } from './mutate.js';
import { describeError, FUZZ_TARGETS, isExpectedError } from './targets.js';

/** One fuzz target's cases, run in a worker so the parent can stop a case that hangs. */
/** `dir` is the runner's scratch folder for the cases' files. */
export interface WorkerJob { readonly target: string; readonly from: number; readonly to: number; readonly seed: number; readonly dir: string }
export type CaseOutcome = { readonly index: number; readonly outcome: 'accepted' | 'refused' | 'crash'; readonly ms: number; readonly error?: string };

// `node --test dist/test/` loads every file here; outside a worker this module only exports types.
if (!isMainThread) await runJob(workerData as WorkerJob);

async function runJob(job: WorkerJob): Promise<void> {
  const target = FUZZ_TARGETS.find((t) => t.name === job.target);
  if (target === undefined || parentPort === null) throw new Error(`no fuzz target ${job.target}`);
  const port = parentPort;
  const seeds = await target.seeds();
  port.postMessage({ ready: true });
  for (let index = job.from; index < job.to; index++) {
    const rand = seededRandom(job.seed + index).next;
    const base = seeds[Math.floor(rand() * seeds.length)];
    if (base === undefined) throw new Error(`fuzz target ${target.name} has no seeds`);
    const mutated = (target.mutate ?? mutate)(base.bytes, rand);
    const input = base.build === undefined ? mutated : base.build(mutated);
    // A fresh file per case: rewriting one file in place was ~10x slower on ext4.
    const file = path.join(job.dir, `input-${index}`);
    const started = performance.now();
    let result: CaseOutcome;
    try {
      target.run(input, file);
      result = { index, outcome: 'accepted', ms: performance.now() - started };
    } catch (e) {
      const ms = performance.now() - started;
      result = isExpectedError(e) ? { index, outcome: 'refused', ms } : { index, outcome: 'crash', ms, error: describeError(e) };
    } finally {
      fs.rmSync(file, { force: true });
    }
    port.postMessage(result);
  }
}
