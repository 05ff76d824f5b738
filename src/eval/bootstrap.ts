import type { Metric } from '../glue/metrics.js';
import { bootstrapDistribution, percentileOfSorted } from '../util/stats.js';

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
  const sorted = bootstrapDistribution([yTrue, yPred], { resamples, seed }, ([t, p]) => metric(t as Float64Array, p as Float64Array));
  const tail = (1 - confidence) / 2;
  return { low: percentileOfSorted(sorted, tail), high: percentileOfSorted(sorted, 1 - tail), resamples: sorted.length };
}
