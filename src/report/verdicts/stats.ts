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

/** The most pooled values for which rankSumGreater counts every split exactly; beyond, the normal approximation. */
const EXACT_RANK_SUM_MAX = 60;

/**
 * One-sided Wilcoxon-Mann-Whitney rank-sum test that `higher`'s values tend to exceed `lower`'s:
 * the share of all ways to split the pooled values into groups of these sizes whose `higher`
 * group has a rank sum at least the observed one (tied values share their mean rank). Exact up to
 * EXACT_RANK_SUM_MAX values, counted by dynamic programming over the ranks; above, the normal
 * approximation with the tie and continuity corrections. 1 when either group is empty.
 */
export function rankSumGreater(higher: readonly number[], lower: readonly number[]): number {
  const m = higher.length;
  const n = m + lower.length;
  if (m === 0 || m === n) return 1;
  const pooled = [...higher.map((value) => ({ value, mine: true })), ...lower.map((value) => ({ value, mine: false }))].sort((a, b) => a.value - b.value);
  // Doubled mid-ranks: integers, so the exact count can index by them.
  const ranks2 = new Array<number>(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && (pooled[j + 1] as { value: number }).value === (pooled[i] as { value: number }).value) j++;
    for (let k = i; k <= j; k++) ranks2[k] = i + j + 2;
    i = j + 1;
  }
  const observed = pooled.reduce((sum, p, i) => (p.mine ? sum + (ranks2[i] as number) : sum), 0);
  return n <= EXACT_RANK_SUM_MAX ? exactRankSumTail(ranks2, m, observed) : normalRankSumTail(ranks2, m, observed);
}

/** P(rank sum of a random m-subset >= observed), counting subsets by (size, doubled rank sum). */
function exactRankSumTail(ranks2: readonly number[], m: number, observed: number): number {
  const total = ranks2.reduce((a, b) => a + b, 0);
  // ways[k][s]: subsets of the ranks seen so far with k members and doubled rank sum s.
  const ways = Array.from({ length: m + 1 }, () => new Float64Array(total + 1));
  (ways[0] as Float64Array)[0] = 1;
  for (const r of ranks2) {
    for (let k = m; k >= 1; k--) {
      const into = ways[k] as Float64Array;
      const from = ways[k - 1] as Float64Array;
      for (let s = total; s >= r; s--) into[s] = (into[s] as number) + (from[s - r] as number);
    }
  }
  const last = ways[m] as Float64Array;
  let atLeast = 0;
  let all = 0;
  for (let s = 0; s <= total; s++) {
    all += last[s] as number;
    if (s >= observed) atLeast += last[s] as number;
  }
  return atLeast / all;
}

function normalRankSumTail(ranks2: readonly number[], m: number, observed: number): number {
  const n = ranks2.length;
  const ranks = ranks2.map((r) => r / 2);
  const meanRank = (n + 1) / 2;
  const variance = (m * (n - m)) / (n * (n - 1)) * ranks.reduce((sum, r) => sum + (r - meanRank) ** 2, 0);
  if (variance === 0) return 1;
  const z = (observed / 2 - m * meanRank - 0.5) / Math.sqrt(variance);
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
    + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}
