import { bootstrapDistribution, percentileOfSorted } from '../../util/stats.js';

/**
 * The paired statistics behind every "tie" in a report: two variants scored on the same dev rows
 * are compared row by row, so a difference of a few examples out of hundreds is not read as real.
 * Pure functions of numbers; paired.ts applies them to reports.
 */

/** Below this p-value (or with a 95% interval that excludes 0) a difference counts as real. */
export const SIGNIFICANCE_LEVEL = 0.05;

/**
 * The exact McNemar test, two-sided: under "both variants are equally accurate" each of the
 * `onlyA + onlyB` discordant rows (one variant right, the other wrong) is a fair coin, so the
 * p-value is twice the binomial tail of the smaller count, capped at 1. No discordant rows: p = 1.
 */
export function mcnemarExact(onlyA: number, onlyB: number): number {
  for (const [name, v] of [['onlyA', onlyA], ['onlyB', onlyB]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  // Terms C(n, i) / 2^n in log space: 2^-n underflows past n = 1074.
  let logTerm = -n * Math.LN2;
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}

export type PairedMetric = (gold: ArrayLike<number>, pred: ArrayLike<number>) => number;

export interface DifferenceInterval {
  readonly low: number;
  readonly high: number;
  /** Resamples where the metric was defined for both variants; the interval rests on these. */
  readonly resamples: number;
}

/**
 * Percentile bootstrap interval (95%) of metric(gold, a) - metric(gold, b), resampling rows
 * with replacement and keeping each row's pair together, so the variants' shared hard and easy
 * examples cancel. Seeded: the same inputs give the same interval everywhere.
 */
export function pairedBootstrapDifference(
  gold: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, metric: PairedMetric, options: { seed: number; resamples: number },
): DifferenceInterval {
  const n = gold.length;
  if (a.length !== n || b.length !== n) throw new RangeError(`gold and predictions differ in length: ${n}, ${a.length}, ${b.length}`);
  const diffs = bootstrapDistribution([gold, a, b], options, ([g, pa, pb]) => {
    const rows = g as Float64Array;
    return metric(rows, pa as Float64Array) - metric(rows, pb as Float64Array);
  });
  return { low: percentileOfSorted(diffs, 0.025), high: percentileOfSorted(diffs, 0.975), resamples: diffs.length };
}
