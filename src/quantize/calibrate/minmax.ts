import type { ActivationRange, RangeEstimator } from './range-estimator.js';

/** Running extremes of the finite values. */
export class Extremes {
  private lo = Infinity;
  private hi = -Infinity;

  add(values: Float32Array): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < this.lo && v !== -Infinity) this.lo = v;
      if (v > this.hi && v !== Infinity) this.hi = v;
    }
  }

  get(): ActivationRange {
    return this.lo <= this.hi ? { min: this.lo, max: this.hi } : { min: 0, max: 0 };
  }
}

/** The exact range seen: nothing clipped, so one outlier token sets the step for every other. */
export function minMaxEstimator(): RangeEstimator {
  const seen = new Extremes();
  return { observe: (v) => seen.add(v), range: () => seen.get(), observed: () => seen.get() };
}
