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
