import { fileURLToPath } from 'node:url';
import type { Progress } from '../../util/progress.js';
import { median, percentileOfSorted } from '../../util/stats.js';
import { runSchedule } from '../rounds.js';
import { forkJob } from '../run-child.js';
import type { RuntimeSettings, StopRule } from '../schema.js';
import type { RealInputsJob, RealInputsReply } from './protocol.js';
import type { RequestInputs } from './requests.js';

const CHILD_FILE = fileURLToPath(new URL('./real-inputs-child.js', import.meta.url));

/** One variant on one device, fed its model's sample of real rows. */
export interface RequestUnit {
  readonly label: string;
  readonly modelFile: string;
  readonly runtime: RuntimeSettings;
  readonly inputs: RequestInputs;
}

export interface RealInputsSettings {
  readonly warmupIterations: number;
  readonly stop: StopRule;
  readonly rounds: number;
}

/** One round's figures over its timed requests. */
interface RoundFigures {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rmePercent: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
}

export type RealInputsFigures =
  | (Omit<RoundFigures, 'meanMs'> & { readonly state: 'measured'; readonly meanMs: number; readonly roundMeansMs: number[]; readonly spreadMs: number })
  | { readonly state: 'failed'; readonly error: string };

function roundFigures(reply: RealInputsReply): RoundFigures {
  const times = [...reply.timesMs].sort((a, b) => a - b);
  const n = times.length;
  const meanMs = times.reduce((s, t) => s + t, 0) / n;
  const sd = n > 1 ? Math.sqrt(times.reduce((s, t) => s + (t - meanMs) ** 2, 0) / (n - 1)) : 0;
  return {
    meanMs, p50Ms: percentileOfSorted(times, 0.5), p99Ms: percentileOfSorted(times, 0.99),
    rmePercent: meanMs > 0 ? ((1.96 * sd) / Math.sqrt(n) / meanMs) * 100 : 0,
    requests: n, requestsPerSecond: n / (reply.wallMs / 1000),
  };
}

/**
 * The rounds as one figure, as compare's latency reduces them: the mean is the median of the rounds'
 * means; every other figure is the median round's own (the lower middle one for an even count), so they agree.
 */
function combineRealInputRounds(rounds: readonly RoundFigures[]): RealInputsFigures {
  const byMean = [...rounds].sort((a, b) => a.meanMs - b.meanMs);
  const middle = byMean[Math.floor((byMean.length - 1) / 2)];
  if (middle === undefined) return { state: 'failed', error: 'no round completed' };
  const roundMeansMs = rounds.map((r) => r.meanMs);
  return {
    ...middle, state: 'measured', meanMs: median(roundMeansMs), roundMeansMs, spreadMs: Math.max(...roundMeansMs) - Math.min(...roundMeansMs),
  };
}

/**
 * Times every unit at its real inputs, `rounds` times, each (unit, round) in a fresh child process, in
 * runSchedule's order (the units reversed between rounds), so drift lands on all alike. A unit that
 * fails in one round keeps that error and is not run again.
 */
export async function measureRealInputs(units: readonly RequestUnit[], s: RealInputsSettings, progress: Progress): Promise<RealInputsFigures[]> {
  const rounds: RoundFigures[][] = units.map(() => []);
  const errors: Array<string | undefined> = units.map(() => undefined);
  const schedule = runSchedule(units.length, 1, s.rounds);
  for (const [i, slot] of schedule.entries()) {
    const u = units[slot.model] as RequestUnit;
    if (errors[slot.model] !== undefined) continue;
    progress.step(`[${i + 1}/${schedule.length}] real inputs, round ${slot.round + 1}/${s.rounds}: ${u.label}`);
    const job: RealInputsJob = { modelFile: u.modelFile, runtime: u.runtime, inputs: u.inputs, warmupIterations: s.warmupIterations, stop: s.stop };
    const reply = await forkJob<RealInputsReply>(CHILD_FILE, { message: job });
    if (reply.ok) rounds[slot.model]?.push(roundFigures(reply));
    else errors[slot.model] = `round ${slot.round + 1}: ${reply.message}`;
  }
  return units.map((_, i) => {
    const error = errors[i];
    return error === undefined ? combineRealInputRounds(rounds[i] ?? []) : { state: 'failed', error };
  });
}
