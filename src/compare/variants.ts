import fs from 'node:fs';
import path from 'node:path';
import { copySideFiles } from '../model-folder/files.js';
import { MODEL_PATH, modelFilePath, recordFileFor, type ModelFileKind } from '../model-folder/layout.js';
import { optimizeFile } from '../optimize/optimize.js';
import type { CalibrationSlice } from '../glue/subset.js';
import { CALIBRATION_DEFAULTS } from '../quantize/calibrate/calibrate.js';
import type { CalibrationSource } from '../quantize/calibrate/calibration-data.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { quantizeCalibrated, quantizeFile } from '../quantize/quantize.js';
import type { AutoQuantSummary, VariantName } from '../report/model/types.js';
import { autoQuantize, AUTO_DEFAULTS, type AutoQuantizeRecord } from '../tune/auto-quantize.js';
import type { AccuracyBudget } from '../tune/budget.js';
import { recipeText, withInt8Recipe } from './int8-recipe.js';

/** What the comparison runs on; a calibrated variant measures its ranges on the same task's data. */
export interface VariantContext {
  readonly task: string;
  readonly dataDir: string;
  /** Keep biases and LayerNorm vectors float32 in int8-dynamic (compare --float32-vectors). */
  readonly float32Vectors?: boolean;
  /** The accuracy int8-auto must keep: --max-drop and --min-accuracy. */
  readonly budget?: AccuracyBudget;
  /** Dev rows no variant is scored on, for a calibrated variant to read where the task has no train split (calibration-slice.ts). */
  readonly calibrationSlice?: CalibrationSlice;
}

/**
 * How each variant is made from the converted fp32 folder. Each producer writes a complete model
 * folder (config, tokenizer, onnx/<file>) so eval and bench read variants exactly as they read the
 * fp32 model; adding a variant means adding one entry here.
 */
export interface VariantProducer {
  /**
   * Whether making the variant runs a model (ranges calibrated with onnxruntime, a search scored with it):
   * its cache key then also names what computed it (bench/compute-facts.ts), so machines share only what
   * albench writes byte for byte.
   */
  readonly runsModel: boolean;
  /** Settings that change the output; part of the cache key. */
  settings(ctx: VariantContext): unknown;
  /** Writes the variant into `dir` and returns the model file's path relative to `dir`. */
  produce(fp32Dir: string, dir: string, ctx: VariantContext): string | Promise<string>;
  /** How the variant is made, in words, for the report. */
  recipe?(ctx: VariantContext): string[];
  /** It measures ranges on task rows: without a train split, compare holds a dev slice out of scoring for it. */
  readonly calibrates?: boolean;
}

function optimized(fp16: boolean): VariantProducer {
  return {
    runsModel: false,
    settings: () => ({ optimize: true, fp16 }),
    produce(fp32Dir, dir) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath(fp16 ? 'fp16' : 'optimized');
      optimizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: path.join(dir, output), fp16 });
      return output;
    },
    recipe: () => ['attention fused (Attention)', fp16 ? 'weights and activations float16, inputs and outputs float32' : 'weights float32'],
  };
}

/**
 * The dynamic int8 recipe (int8-recipe.ts): attention fused in memory, then quantized, so each
 * Attention becomes one QAttention (measured 1.10-1.16x faster than quantizing the plain graph,
 * benchmarks/optimize-bench.ts), with int8 embedding tables and float16 vectors.
 */
function dynamicInt8(): VariantProducer {
  const request = (ctx: VariantContext) => withInt8Recipe({ input: '', options: { bits: 8 } }, ctx.float32Vectors ? { float16Vectors: false } : {});
  return {
    runsModel: false,
    settings: (ctx) => ({ options: request(ctx).options, fuseAttention: request(ctx).fuse !== undefined }),
    produce(fp32Dir, dir, ctx) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath('q8');
      quantizeFile({ ...request(ctx), input: path.join(fp32Dir, MODEL_PATH), output: path.join(dir, output) });
      return output;
    },
    recipe: (ctx) => recipeText(request(ctx).options ?? {}, request(ctx).fuse !== undefined),
  };
}

/** Weight-only quantization of the plain fp32 graph. */
function weightOnly(options: Partial<QuantizeOptions>, kind: ModelFileKind): VariantProducer {
  return {
    runsModel: false,
    settings: () => ({ options, fromOptimized: false }),
    produce(fp32Dir, dir) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath(kind);
      quantizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: path.join(dir, output), options });
      return output;
    },
    recipe: () => recipeText(options, false),
  };
}

/**
 * Static int8 QDQ with ranges from the task's own train split, or, where the data folder has none,
 * from the dev slice compare holds out of every variant's scoring (never from scored rows). MinMax:
 * on the bundled SST-2 models it kept fp32's accuracy and agreed with fp32 as well as percentile
 * and better than entropy (benchmarks/calibrate-bench.ts), and it is the cheapest.
 */
function calibrated(options: Partial<QuantizeOptions>, kind: ModelFileKind): VariantProducer {
  const calibration = { ...CALIBRATION_DEFAULTS, method: 'minmax' } as const;
  const source = (ctx: VariantContext): CalibrationSource =>
    (ctx.calibrationSlice === undefined ? { split: 'train' } : { split: 'dev', slice: ctx.calibrationSlice });
  // Said from the same source the ranges are measured on: a missing train split fails the build rather than the line.
  const rangesText = (from: CalibrationSource): string => (from.split === 'train'
    ? `ranges: ${calibration.method} on the task's train split`
    : `ranges: ${calibration.method} on ${Math.min(calibration.samples, from.slice.size)} dev rows held out of every variant's scoring `
      + `(seed ${from.slice.seed}), the task having no train split`);
  return {
    calibrates: true,
    runsModel: true,
    settings: (ctx) => ({ options, calibration, task: ctx.task, dataDir: path.resolve(ctx.dataDir), source: source(ctx) }),
    async produce(fp32Dir, dir, ctx) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath(kind);
      // The tokenizer is read from the fp32 folder, beside the model being calibrated.
      const settings = { ...calibration, task: ctx.task, dataDir: ctx.dataDir, source: source(ctx) };
      await quantizeCalibrated({ input: fp32Dir, output: path.join(dir, output), options, calibration: settings });
      return output;
    },
    recipe: (ctx) => [
      ...recipeText({ ...options, activations: { kind: 'static', ranges: new Map() } }, false),
      rangesText(source(ctx)),
    ],
  };
}

/**
 * int8-dynamic's recipe (the Attention-fused graph, so query, key and value are one packed group)
 * with the groups the accuracy budget needs kept in float, found on the task's train split.
 */
function autoQuantized(options: Partial<QuantizeOptions>): VariantProducer {
  const search = (ctx: VariantContext) => ({ ...AUTO_DEFAULTS, task: ctx.task, dataDir: ctx.dataDir, budget: ctx.budget ?? {} });
  return {
    runsModel: true,
    settings: (ctx) => ({ options, ...search(ctx), dataDir: path.resolve(ctx.dataDir) }),
    async produce(fp32Dir, dir, ctx) {
      copySideFiles(fp32Dir, dir);
      const optimized = path.join(dir, modelFilePath('optimized'));
      optimizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: optimized });
      const output = modelFilePath('auto');
      try {
        await autoQuantize({ input: optimized, output: path.join(dir, output), options, ...search(ctx) });
      } finally {
        fs.rmSync(optimized, { force: true });
      }
      return output;
    },
  };
}

export const VARIANT_PRODUCERS: Readonly<Record<Exclude<VariantName, 'fp32'>, VariantProducer>> = {
  'fp32-optimized': optimized(false),
  'int8-dynamic': dynamicInt8(),
  'int8-static': calibrated({ perChannel: true }, 'int8'),
  int4: weightOnly({ bits: 4 }, 'q4'),
  fp16: optimized(true),
  'int8-auto': autoQuantized({ bits: 8 }),
};

/** The search's figures for the report, from the record written beside an int8-auto model file. */
export function autoQuantOf(variant: VariantName, modelFile: string): { autoQuant?: AutoQuantSummary } {
  if (variant !== 'int8-auto') return {};
  const record = JSON.parse(fs.readFileSync(recordFileFor(modelFile), 'utf8')) as AutoQuantizeRecord;
  return { autoQuant: record.auto };
}
