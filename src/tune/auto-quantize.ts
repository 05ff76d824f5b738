import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeRecord } from '../model-folder/files.js';
import { modelFileBeside, modelRoot, recordFileFor } from '../model-folder/layout.js';
import { assertOutputIsNotInput, modelBytes, resolveModelFile } from '../model-folder/resolve-model-file.js';
import { readOnnxModel } from '../onnx/from-proto.js';
import type { CalibrationRecord, CalibrationSettings } from '../quantize/calibrate/calibrate.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { quantizeOptions, staticInt8Options, withCalibratedRanges, writeQuantized, type QuantizedFiles } from '../quantize/quantize.js';
import type { AutoQuantSummary } from '../report/model/types.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { targetMetric, type AccuracyBudget } from './budget.js';
import { quantizeKeeping, type SearchContext } from './candidate.js';
import { quantGroups } from './groups.js';
import { budgetRefusal, recipeName, summarize } from './summary.js';
import { runOnSample, scoreRun } from './score.js';
import { scanSensitivity } from './sensitivity.js';
import { searchKeptGroups } from './search.js';
import { trainSample, type SampleRequest } from './train-sample.js';

/** What to search and on which train sample (SampleRequest: task, data folder, sample size and seed). */
interface AutoQuantizeRequest extends SampleRequest {
  /** A converted model folder (onnx/model.onnx) or an fp32 .onnx file beside its config and tokenizer. */
  readonly input: string;
  /** Default: onnx/model_int8_auto.onnx beside the input. */
  readonly output?: string;
  readonly options?: Partial<QuantizeOptions>;
  /** Static int8: activation ranges measured once on these settings, with no group excluded. */
  readonly calibration?: CalibrationSettings;
  readonly budget: AccuracyBudget;
  /** The most of full quantization's byte savings the search may give back by keeping groups in float (default AUTO_DEFAULTS.maxFloatShare). */
  readonly maxFloatShare?: number;
  readonly threads?: number;
  readonly progress?: Progress;
}

/** The train sample the budget is checked on, unless told otherwise. */
export const AUTO_DEFAULTS = { samples: 200, seed: 0, maxFloatShare: 0.5 } as const;

export interface AutoQuantizeRecord extends Omit<QuantizedFiles, 'settings'> {
  readonly format: 'albench-quantize-auto-v1';
  readonly settings: Omit<QuantizedFiles['settings'], 'exclude'>;
  /** Node names kept in float, as `quantize --exclude` would take them. */
  readonly excluded: readonly string[];
  readonly calibration: CalibrationRecord | null;
  readonly dataFile: string;
  readonly sampleIndices: readonly number[];
  /** Per-group latency is not measured: the search ranks by bytes; `albench bench` times the result. */
  readonly auto: AutoQuantSummary;
}

/**
 * The smallest variant of the recipe within the accuracy budget on a train sample: measure each
 * group's sensitivity, keep the fewest, cheapest groups in float that bring the sample metric
 * within budget, write that variant and its record. Throws AccuracyBudgetError when none does.
 */
export async function autoQuantize(req: AutoQuantizeRequest): Promise<AutoQuantizeRecord> {
  const t0 = performance.now();
  const progress = req.progress ?? silentProgress;
  const wanted = { ...req.options, exclude: [] };
  const requested = req.calibration === undefined ? quantizeOptions(wanted) : staticInt8Options(wanted);
  const maxFloatShare = req.maxFloatShare ?? AUTO_DEFAULTS.maxFloatShare;
  const input = resolveModelFile(req.input);
  const output = req.output ?? modelFileBeside(input, 'auto');
  assertOutputIsNotInput(input, output);
  const root = modelRoot(input);
  const model = readOnnxModel(input);
  progress.step('preparing the recipe');
  // Static int8's ranges are measured once, on the fp32 model, with no group excluded.
  const { options, calibration } = req.calibration === undefined
    ? { options: requested, calibration: null }
    : await withCalibratedRanges(model, root, requested, req.calibration, req.threads);
  const sample = trainSample(root, req);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-tune-'));
  try {
    const reference = await runOnSample(input, sample, req.threads);
    const ctx: SearchContext = { model, file: input, options, sample, reference, workDir, ...(req.threads === undefined ? {} : { threads: req.threads }) };
    const groups = quantGroups(model, options);
    const scan = await scanSensitivity(ctx, groups, (n) => progress.step(`sensitivity: ${n}/${groups.length} groups`));
    const fp32Metric = scoreRun(reference, reference, sample).metric;
    const target = targetMetric(req.budget, fp32Metric);
    const maxBytesAdded = maxFloatShare * Math.max(0, modelBytes(input) - scan.allQuantized.bytes);
    progress.step('searching');
    const outcome = await searchKeptGroups(ctx, scan, { target, maxBytesAdded });
    progress.done();
    const facts = { recipe: recipeName(options), sample, seed: req.seed, budget: req.budget, target, fp32Metric, scan, outcome };
    if (outcome.kept === null) throw budgetRefusal(facts, maxFloatShare);
    const result = quantizeKeeping(ctx, outcome.kept.map((k) => k.group));
    // The recipe's own exclude is empty: what the search kept in float is `excluded`.
    const { settings: { exclude: _exclude, ...settings }, ...files } = writeQuantized(result.model, input, output, options);
    const record: AutoQuantizeRecord = {
      format: 'albench-quantize-auto-v1',
      ...files,
      settings,
      excluded: result.excluded,
      calibration,
      dataFile: sample.file,
      sampleIndices: sample.indices,
      auto: summarize({ ...facts, kept: outcome.kept, seconds: (performance.now() - t0) / 1000 }),
    };
    writeRecord(recordFileFor(output), record);
    return record;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
