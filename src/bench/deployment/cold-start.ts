import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Progress } from '../../util/progress.js';
import { runSchedule } from '../rounds.js';
import { forkJob } from '../run-child.js';
import type { ColdStartJob, ColdStartReply } from './protocol.js';
import type { RequestUnit } from './real-inputs.js';

const CHILD_FILE = fileURLToPath(new URL('./cold-start-child.js', import.meta.url));

/** The run with the median total, with its own parts (so they add up to it), and every run's total. */
export type ColdStartFigures =
  | (Omit<ColdStartReply, 'ok'> & { readonly state: 'measured'; readonly runTotalsMs: number[] })
  | { readonly state: 'failed'; readonly error: string };

/** The run with the median total (the lower middle one for an even count): reporting its parts keeps them adding up to the total. */
export function medianRun<R extends { readonly totalMs: number }>(runs: readonly R[]): R | undefined {
  return [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor((runs.length - 1) / 2)];
}

function combineRuns(runs: readonly ColdStartReply[]): ColdStartFigures {
  const middle = medianRun(runs);
  if (middle === undefined) return { state: 'failed', error: 'no run completed' };
  const { ok: _ok, ...figures } = middle;
  return { ...figures, state: 'measured', runTotalsMs: runs.map((r) => r.totalMs) };
}

/** One cold start: the clock starts just before the fork, and the child reads it from its argv. */
async function coldStartOnce(u: RequestUnit): Promise<ColdStartReply | { ok: false; message: string }> {
  const job: ColdStartJob = { modelFile: u.modelFile, runtime: u.runtime, input: u.inputs };
  const text = JSON.stringify(job);
  const forkedAtNs = process.hrtime.bigint();
  return forkJob<ColdStartReply>(CHILD_FILE, { args: [text, String(forkedAtNs)] });
}

/**
 * From nothing to the first prediction, `runs` times per unit, each in a fresh process, in runSchedule's
 * order. Every model file is read once first, so every run reads it from the OS's page cache alike
 * (what a server that just wrote or pulled the file meets; a file fresh off a disk costs more).
 */
export async function measureColdStarts(units: readonly RequestUnit[], runs: number, progress: Progress): Promise<ColdStartFigures[]> {
  for (const file of new Set(units.map((u) => u.modelFile))) fs.readFileSync(file);
  const replies: ColdStartReply[][] = units.map(() => []);
  const errors: Array<string | undefined> = units.map(() => undefined);
  const schedule = runSchedule(units.length, 1, runs);
  for (const [i, slot] of schedule.entries()) {
    const u = units[slot.model] as RequestUnit;
    if (errors[slot.model] !== undefined) continue;
    progress.step(`[${i + 1}/${schedule.length}] cold start ${slot.round + 1}/${runs}: ${u.label}`);
    const reply = await coldStartOnce(u);
    if (reply.ok) replies[slot.model]?.push(reply);
    else errors[slot.model] = `run ${slot.round + 1}: ${reply.message}`;
  }
  return units.map((_, i) => {
    const error = errors[i];
    return error === undefined ? combineRuns(replies[i] ?? []) : { state: 'failed', error };
  });
}
