import { median } from '../util/stats.js';
import type { LatencyStats, RunSlot } from './schema.js';

/** Model indices in the order each round runs them: forward, backward, forward, ... (A B C, C B A, A B C). */
export function roundOrder(models: number, rounds: number): number[][] {
  const forward = Array.from({ length: models }, (_, i) => i);
  return Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? forward : [...forward].reverse()));
}

/**
 * Every child of a bench run in the order it runs. Round after round, so the spread between rounds
 * shows how the machine drifted over the run; within a round grid-major, each point taking the
 * round's model order reversed at every other point. Over an even number of rounds each model runs
 * early as often as late at every point, every pair runs in each order equally often, and under a
 * steady drift every model's median round sits at the same place (compare insists on an even
 * count); over an odd number the first model's median slot is late and the last's early.
 */
export function runSchedule(models: number, points: number, rounds: number): RunSlot[] {
  return roundOrder(models, rounds).flatMap((order, round) =>
    Array.from({ length: points }, (_, point) => (point % 2 === 0 ? order : [...order].reverse()).map((model) => ({ round, point, model }))).flat());
}

/** A point's rounds reduced to one figure and the evidence of how much they disagreed. */
export interface RoundsSummary<M> {
  /** The round whose p50 is the median (the lower of the middle two for an even count), with p50Ms set to the median of all rounds. */
  readonly measurement: M;
  /** Each round's p50, in round order. */
  readonly roundP50sMs: readonly number[];
  /** Highest minus lowest round p50. */
  readonly spreadMs: number;
}

/**
 * p50 is the median of the rounds' p50s; every other statistic (p90, p99, mean, stdev, rme,
 * samples, memory, load time) is the median round's own, so they stay consistent with each other.
 */
export function summarizeRounds<M extends { readonly latency: LatencyStats }>(rounds: readonly M[]): RoundsSummary<M> {
  if (rounds.length === 0) throw new Error('summarizeRounds needs at least one round');
  const roundP50sMs = rounds.map((r) => r.latency.p50Ms);
  const byP50 = [...rounds].sort((a, b) => a.latency.p50Ms - b.latency.p50Ms);
  const middle = byP50[Math.floor((byP50.length - 1) / 2)] as M;
  return {
    measurement: { ...middle, latency: { ...middle.latency, p50Ms: median(roundP50sMs) } },
    roundP50sMs,
    spreadMs: Math.max(...roundP50sMs) - Math.min(...roundP50sMs),
  };
}
