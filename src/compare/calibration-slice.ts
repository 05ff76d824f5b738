import fs from 'node:fs';
import { DataError } from '../errors.js';
import { glueSplitPath, readGlueSplit } from '../glue/read-split.js';
import type { GlueTask } from '../glue/tasks.js';
import { CALIBRATION_DEFAULTS } from '../quantize/calibrate/calibrate.js';
import type { SubsetSetting, VariantName } from '../report/model/types.js';
import { VARIANT_PRODUCERS } from './variants.js';

/** At most 200 rows (what calibration reads) and at most a quarter of dev: enough to calibrate on, most of dev still scored. */
const MAX_SLICE_ROWS = CALIBRATION_DEFAULTS.samples;
const DEV_PER_SLICE_ROW = 4;

/** K = min(200, floor(dev / 4)). */
export function calibrationSliceSize(devRows: number): number {
  return Math.min(MAX_SLICE_ROWS, Math.floor(devRows / DEV_PER_SLICE_ROW));
}

/**
 * The rows a compare scores. A calibrated variant (int8-static) reads the task's train split where
 * the data folder has it. Without one it reads a seeded slice of dev, and that slice is held out of
 * the scoring of every variant of the compare, not only the calibrated one, so each paired test
 * still compares the same rows; the slice is recorded in the subset, so reports with different
 * slices are different subsets to regress and merge.
 */
export function scoredSubset(subset: SubsetSetting, task: GlueTask, dataDir: string, variants: readonly VariantName[]): SubsetSetting {
  const calibrated = variants.filter((v) => v !== 'fp32' && VARIANT_PRODUCERS[v].calibrates === true);
  if (calibrated.length === 0 || fs.existsSync(glueSplitPath(task, 'train', dataDir))) return subset;
  const dev = readGlueSplit(task, 'dev', dataDir);
  const size = calibrationSliceSize(dev.textA.length);
  if (size === 0) {
    throw new DataError(dev.file, `${calibrated.join(', ')} calibrates on a quarter of dev held out of scoring when ${task.name} has no train split, `
      + `and ${dev.textA.length} dev rows cannot spare one; add ${task.dir}/${task.files.train} to the data folder or leave ${calibrated.join(', ')} out`);
  }
  return { ...subset, calibrationSlice: { size, seed: CALIBRATION_DEFAULTS.seed } };
}
