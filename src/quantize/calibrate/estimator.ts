import { entropyEstimator } from './entropy.js';
import { minMaxEstimator } from './minmax.js';
import { percentileEstimator } from './percentile.js';

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'entropy'];

export interface ActivationRange { readonly min: number; readonly max: number }

/** Turns the activation values seen over all calibration batches into one quantization range. */
export interface RangeEstimator {
  /** One batch's values, padding already removed; NaN and infinities are ignored. */
  observe(values: Float32Array): void;
  /** The range to quantize with (0 where nothing was seen). */
  range(): ActivationRange;
  /** The smallest and largest finite values seen, for the record: how much the range clips. */
  observed(): ActivationRange;
}

export interface MethodSettings {
  readonly method: CalibrationMethod;
  /** For 'percentile': the share of each tail kept, in percent (99.999 keeps all but 1 in 100,000). */
  readonly percentile: number;
}

export function makeEstimator(s: MethodSettings): RangeEstimator {
  switch (s.method) {
    case 'minmax': return minMaxEstimator();
    case 'percentile': return percentileEstimator(s.percentile);
    case 'entropy': return entropyEstimator();
  }
}
