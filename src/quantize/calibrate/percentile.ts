import { UsageError } from '../../errors.js';
import { MagnitudeHistogram } from './histogram.js';
import { Extremes } from './minmax.js';
import type { RangeEstimator } from './range-estimator.js';

/**
 * Each tail clipped at its own percentile: the upper bound leaves (100 - p)% of all values above
 * it, the lower bound (100 - p)% below it. Two one-sided histograms, not one of |x|, because the
 * activations are quantized asymmetrically and LayerNorm/GELU outputs have unequal tails.
 */
export function percentileEstimator(percentile: number): RangeEstimator {
  if (!(percentile > 50 && percentile <= 100)) throw new UsageError(`--percentile must be in (50, 100], got ${percentile}`);
  const positive = new MagnitudeHistogram();
  const negative = new MagnitudeHistogram();
  const seen = new Extremes();
  return {
    observe(values) {
      seen.add(values);
      positive.add(values, (v) => v >= 0);
      negative.add(values, (v) => v < 0);
    },
    range() {
      const clipped = ((100 - percentile) / 100) * (positive.total + negative.total);
      const o = seen.get();
      // Interpolating inside the top bin may land just past the extreme seen; never widen.
      return { min: Math.max(o.min, -negative.valueWithCountAbove(clipped)), max: Math.min(o.max, positive.valueWithCountAbove(clipped)) };
    },
    observed: () => seen.get(),
  };
}
