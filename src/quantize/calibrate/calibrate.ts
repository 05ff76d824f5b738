import type { OnnxModel } from '../../onnx/model.js';
import type { QuantizeOptions } from '../options.js';
import { calibrationData, type CalibrationDataRequest } from './calibration-data.js';
import { collectActivations } from './collect.js';
import { makeEstimator, type CalibrationMethod, type MethodSettings } from './estimator.js';
import type { ActivationRange } from './range-estimator.js';
import { calibrationTargets } from './targets.js';

export type CalibrationSettings = CalibrationDataRequest & MethodSettings;

/** What `albench quantize --calibrate` uses unless told otherwise (task and data folder have no default here). */
export const CALIBRATION_DEFAULTS = {
  samples: 200,
  seed: 0,
  batchSize: 16,
  maxLength: 128,
  method: 'minmax',
  percentile: 99.999,
} as const satisfies Omit<CalibrationSettings, 'task' | 'dataDir'>;

export interface CalibratedRange extends ActivationRange {
  readonly value: string;
  /** The extremes seen; wider than min/max where the method clipped. */
  readonly observedMin: number;
  readonly observedMax: number;
}

/** The calibration part of a quantize record: enough to tell how each range was found. */
export interface CalibrationRecord {
  readonly method: CalibrationMethod;
  readonly percentile: number | null;
  readonly task: string;
  readonly split: 'train' | 'dev';
  readonly dataFile: string;
  readonly samples: number;
  readonly seed: number;
  /** Row indices into the split, ascending: what a scored subset must not share. */
  readonly rows: readonly number[];
  readonly batches: number;
  readonly tokens: number;
  readonly seconds: number;
  readonly summary: {
    readonly values: number;
    /** Ranges narrower than what was seen. */
    readonly clipped: number;
    readonly widest: CalibratedRange | null;
  };
  readonly ranges: readonly CalibratedRange[];
}

export interface Calibration {
  readonly ranges: ReadonlyMap<string, ActivationRange>;
  readonly record: CalibrationRecord;
}

/**
 * Activation ranges for every input a static quantization of `model` reads, measured by running
 * the fp32 model on real task examples tokenized by `modelDir`'s tokenizer.
 */
export async function calibrate(model: OnnxModel, modelDir: string, options: QuantizeOptions, s: CalibrationSettings, threads?: number): Promise<Calibration> {
  const t0 = performance.now();
  const data = calibrationData(modelDir, s);
  const targets = calibrationTargets(model, options);
  const estimators = await collectActivations(model, targets, data.batches, () => makeEstimator(s), threads === undefined ? {} : { threads });
  const ranges: CalibratedRange[] = [...estimators].map(([value, e]) => {
    const seen = e.observed();
    return { value, ...e.range(), observedMin: seen.min, observedMax: seen.max };
  });
  const width = (r: ActivationRange) => r.max - r.min;
  return {
    ranges: new Map(ranges.map((r) => [r.value, { min: r.min, max: r.max }])),
    record: {
      method: s.method,
      percentile: s.method === 'percentile' ? s.percentile : null,
      task: data.task,
      split: data.split,
      dataFile: data.file,
      samples: data.indices.length,
      seed: s.seed,
      rows: data.indices,
      batches: data.batches.length,
      tokens: data.tokens,
      seconds: (performance.now() - t0) / 1000,
      summary: {
        values: ranges.length,
        clipped: ranges.filter((r) => r.min > r.observedMin || r.max < r.observedMax).length,
        widest: ranges.reduce<CalibratedRange | null>((w, r) => (w === null || width(r) > width(w) ? r : w), null),
      },
      ranges,
    },
  };
}
