import type { Metric } from '../glue/metrics.js';
import { seededRandom } from '../util/random.js';

export interface BootstrapOptions {
  /** How many resamples to draw; 1000 unless given. */
  resamples?: number;
  /** PRNG seed; 0 unless given. The same seed gives the same interval. */
  seed?: number;
  /** Central coverage of the interval; 0.95 unless given. */
  confidence?: number;
}

export interface BootstrapInterval {
  low: number;
  high: number;
  /**
   * How many resamples gave a defined value and so shaped the interval. It is below the number
   * asked for when some resamples leave the metric undefined (an all-equal STS-B resample).
   */
  resamples: number;
}

/** numpy's default ('linear') percentile of ascending-sorted values, q in [0, 1]. */
function percentileOfSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lowValue = sorted[below] as number;
  return lowValue + (position - below) * ((sorted[above] as number) - lowValue);
}

/**
 * Percentile bootstrap interval of `metric`: resample the examples with replacement, recompute the
 * metric on each resample and take the central `confidence` share of those values.
 */
export function bootstrapInterval(
  metric: Metric,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const { resamples = 1000, seed = 0, confidence = 0.95 } = options;
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = yTrue.length;
  if (yPred.length !== n) {
    throw new RangeError(`labels and predictions differ in length: ${n} vs ${yPred.length}`);
  }
  const random = seededRandom(seed);
  const sampleTrue = new Float64Array(n);
  const samplePred = new Float64Array(n);
  const values = new Float64Array(resamples);
  let defined = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = random.below(n);
      sampleTrue[i] = yTrue[j] as number;
      samplePred[i] = yPred[j] as number;
    }
    const value = metric(sampleTrue, samplePred);
    if (!Number.isNaN(value)) values[defined++] = value;
  }
  const sorted = values.subarray(0, defined).sort();
  const tail = (1 - confidence) / 2;
  return { low: percentileOfSorted(sorted, tail), high: percentileOfSorted(sorted, 1 - tail), resamples: defined };
}
