import { entropyEstimator } from './entropy.js';
import { minMaxEstimator } from './minmax.js';
import { percentileEstimator } from './percentile.js';
import type { RangeEstimator } from './range-estimator.js';

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'entropy'];

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
