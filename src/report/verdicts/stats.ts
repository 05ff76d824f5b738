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
  /** Two-sided, from the same resamples (bootstrapPValue): below 0.05 exactly when the 95% interval excludes 0. */
  readonly pValue: number;
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
  return { low: percentileOfSorted(diffs, 0.025), high: percentileOfSorted(diffs, 0.975), pValue: bootstrapPValue(diffs), resamples: diffs.length };
}

/**
 * The two-sided p-value of a percentile bootstrap of a difference: 1 - the level of the widest
 * central interval (percentileOfSorted's rule on `sorted`) that leaves 0 outside, so p < 0.05
 * exactly when the 95% interval excludes 0 and a verdict never rests on one figure while the report
 * prints the other. Where a run of resamples is exactly 0 the point of that run nearest the middle
 * counts (identical predictions give p = 1); with every resample on one side of 0, p = 0. NaN for none.
 */
export function bootstrapPValue(sorted: ArrayLike<number>): number {
  const m = sorted.length;
  if (m === 0) return Number.NaN;
  const at = (i: number) => sorted[i] as number;
  if (at(0) > 0 || at(m - 1) < 0) return 0;
  if (m === 1) return 1;
  // The quantiles where the interpolated percentile reaches 0 from below and leaves it above.
  let i = 0;
  while (at(i) < 0) i++;
  const fromBelow = i === 0 ? 0 : (i - 1 + -at(i - 1) / (at(i) - at(i - 1))) / (m - 1);
  let j = m - 1;
  while (at(j) > 0) j--;
  const toAbove = j === m - 1 ? 1 : (j + -at(j) / (at(j + 1) - at(j))) / (m - 1);
  const q = Math.min(Math.max(0.5, fromBelow), toAbove);
  return Math.min(1, 2 * Math.min(q, 1 - q));
}
