import { fileURLToPath } from 'node:url';
import type { Progress } from '../../util/progress.js';
import { runSchedule } from '../rounds.js';
import { forkJob } from '../run-child.js';
import { throughputOf } from './load-search.js';
import type { LoadJob, LoadReply, LoadStep } from './protocol.js';
import type { RequestInputs } from './requests.js';

const CHILD_FILE = fileURLToPath(new URL('./load-child.js', import.meta.url));

/** One variant to serve: its file, the requests, and the rates to offer (from its own measured cost). */
export interface LoadUnit {
  readonly label: string;
  readonly modelFile: string;
  readonly inputs: RequestInputs;
  readonly rates: readonly number[];
}

/** A way to serve: worker threads, each with its own session of this many intra-op threads. */
export interface PoolShape {
  readonly workers: number;
  readonly threadsPerWorker: number;
}

export interface LoadSettings {
  readonly pools: readonly PoolShape[];
  readonly stepMs: number;
  readonly p99BoundMs: number;
  readonly seed: number;
  readonly rounds: number;
  readonly warmupRequests: number;
}

export interface PoolFigures extends PoolShape {
  readonly throughputRequestsPerSecond: number | null;
  readonly roundThroughputs: Array<number | null>;
  readonly boundCrossed: boolean;
  readonly steps: readonly LoadStep[];
}

export type LoadFigures = { readonly state: 'measured'; readonly pools: PoolFigures[] } | { readonly state: 'failed'; readonly error: string };

/**
 * A pool's rounds as one figure: the lowest round's throughput (null below any number), a rate
 * served within the bound in every round, reported with that round's steps.
 */
function combinePoolRounds(shape: PoolShape, rounds: ReadonlyArray<readonly LoadStep[]>): PoolFigures {
  const each = rounds.map(throughputOf);
  const rank = (t: number | null) => t ?? -1;
  let lowest = 0;
  each.forEach((r, i) => {
    if (rank(r.throughput) < rank(each[lowest]?.throughput ?? null)) lowest = i;
  });
  const chosen = each[lowest] ?? { throughput: null, boundCrossed: false };
  return {
    ...shape, throughputRequestsPerSecond: chosen.throughput, roundThroughputs: each.map((r) => r.throughput),
    boundCrossed: chosen.boundCrossed, steps: rounds[lowest] ?? [],
  };
}

/** The two ways to serve on `physicalCores` cores: one worker using them all, or a worker per core; one shape on one core. */
export function poolShapes(physicalCores: number): PoolShape[] {
  const one = { workers: 1, threadsPerWorker: physicalCores };
  return physicalCores > 1 ? [one, { workers: physicalCores, threadsPerWorker: 1 }] : [one];
}

/**
 * Serves every (unit, pool) `rounds` times, each in a fresh child process, in runSchedule's order
 * (reversed between rounds). A (unit, pool) that fails keeps that error: the unit fails.
 */
export async function measureLoad(units: readonly LoadUnit[], s: LoadSettings, progress: Progress): Promise<LoadFigures[]> {
  const slots = units.flatMap((unit, u) => s.pools.map((pool, p) => ({ unit, u, pool, p })));
  const steps: LoadStep[][][] = slots.map(() => []);
  const errors: Array<string | undefined> = units.map(() => undefined);
  const schedule = runSchedule(slots.length, 1, s.rounds);
  for (const [i, { round, model }] of schedule.entries()) {
    const slot = slots[model];
    if (slot === undefined || errors[slot.u] !== undefined) continue;
    const { unit, pool } = slot;
    progress.step(`[${i + 1}/${schedule.length}] under load, round ${round + 1}/${s.rounds}: ${unit.label},`
      + ` ${pool.workers} worker(s) x ${pool.threadsPerWorker} thread(s)`);
    const job: LoadJob = {
      modelFile: unit.modelFile, inputs: unit.inputs, ...pool, rates: unit.rates, stepMs: s.stepMs, p99BoundMs: s.p99BoundMs, seed: s.seed,
      warmupRequests: s.warmupRequests,
    };
    const reply = await forkJob<LoadReply>(CHILD_FILE, { message: job });
    if (reply.ok) steps[model]?.push([...reply.steps]);
    else errors[slot.u] = `${pool.workers} worker(s) x ${pool.threadsPerWorker} thread(s), round ${round + 1}: ${reply.message}`;
  }
  return units.map((_, u) => {
    const error = errors[u];
    if (error !== undefined) return { state: 'failed', error };
    return { state: 'measured', pools: slots.flatMap((slot, k) => (slot.u === u ? [combinePoolRounds(slot.pool, steps[k] ?? [])] : [])) };
  });
}
