import { seededRandom } from './random.js';

/**
 * The numerics every figure rests on, written once: the percentile rule, the median and its interval, and the
 * seeded bootstrap that eval's intervals and the reports' paired tests resample with.
 */

/**
 * numpy's default ('linear') percentile of ascending-sorted values, q in [0, 1]; tinybench's rule
 * too. NaN when there are none.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  return low + (position - below) * ((sorted[above] as number) - low);
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/**
 * The distribution-free 95% interval of the median of ascending-sorted values: the order statistics
 * n/2 ± 1.96·√n/2 (the normal approximation of Binomial(n, ½)), clamped to the sample. Assumes
 * nothing about the shape, which matters for latencies: they are skewed and often bimodal.
 */
export function medianInterval95OfSorted(sorted: ArrayLike<number>): { readonly low: number; readonly high: number } {
  const n = sorted.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  const reach = 1.959963984540054 * Math.sqrt(n) / 2;
  const low = sorted[Math.max(0, Math.floor(n / 2 - reach))] as number;
  const high = sorted[Math.min(n - 1, Math.ceil(n / 2 + reach))] as number;
  return { low, high };
}

export interface BootstrapDraw {
  readonly resamples: number;
  readonly seed: number;
  /**
   * Per row, the stratum it belongs to (a suite's task): each row is then drawn from its own
   * stratum's rows only, so every resample keeps each stratum's size and place in the columns.
   */
  readonly strata?: ArrayLike<number>;
}

/**
 * The bootstrap distribution of `statistic`: `resamples` times, rows are drawn with replacement
 * (one seeded draw per row, so the same inputs give the same values everywhere; within the row's
 * stratum when strata are given) and every column is resampled with the same rows, keeping each
 * row's values together. Returns the defined values (a resample can leave a statistic undefined:
 * NaN), ascending.
 */
export function bootstrapDistribution(
  columns: ReadonlyArray<ArrayLike<number>>, draw: BootstrapDraw, statistic: (resampled: readonly Float64Array[]) => number,
): Float64Array {
  const n = columns[0]?.length ?? 0;
  const lengths = columns.map((c) => c.length);
  if (lengths.some((length) => length !== n)) throw new RangeError(`the columns differ in length: ${lengths.join(', ')}`);
  const pools = draw.strata === undefined ? undefined : strataPools(draw.strata, n);
  const random = seededRandom(draw.seed);
  const resampled = columns.map(() => new Float64Array(n));
  const values = new Float64Array(draw.resamples);
  let defined = 0;
  for (let r = 0; r < draw.resamples; r++) {
    for (let i = 0; i < n; i++) {
      const pool = pools?.[i];
      const j = pool === undefined ? random.below(n) : (pool[random.below(pool.length)] as number);
      for (let k = 0; k < columns.length; k++) (resampled[k] as Float64Array)[i] = (columns[k] as ArrayLike<number>)[j] as number;
    }
    const value = statistic(resampled);
    if (!Number.isNaN(value)) values[defined++] = value;
  }
  return values.subarray(0, defined).sort();
}

/** Per row, the rows of its stratum. */
function strataPools(strata: ArrayLike<number>, n: number): number[][] {
  if (strata.length !== n) throw new RangeError(`strata has ${strata.length} entries for ${n} rows`);
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const s = strata[i] as number;
    const own = members.get(s);
    if (own === undefined) members.set(s, [i]);
    else own.push(i);
  }
  return Array.from({ length: n }, (_, i) => members.get(strata[i] as number) as number[]);
}
