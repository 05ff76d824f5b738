import fs from 'node:fs';
import path from 'node:path';
import { copySideFiles } from '../model-folder/files.js';
import { MODEL_PATH, modelFilePath, type ModelFileKind } from '../model-folder/layout.js';
import { optimizeFile } from '../optimize/optimize.js';
import { CALIBRATION_DEFAULTS } from '../quantize/calibrate/calibrate.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { quantizeCalibrated, quantizeFile } from '../quantize/quantize.js';
import type { VariantName } from '../report/types.js';
import { autoQuantized } from './auto-variant.js';

/** What the comparison runs on; a calibrated variant measures its ranges on the same task's data. */
export interface VariantContext {
  readonly task: string;
  readonly dataDir: string;
  /** The accuracy int8-auto must keep: --max-drop (points below fp32) and --min-accuracy (a fraction). */
  readonly budget?: { readonly maxDropPoints?: number; readonly minMetric?: number };
}

/**
 * How each variant is made from the converted fp32 folder. Each producer writes a complete model
 * folder (config, tokenizer, onnx/<file>) so eval and bench read variants exactly as they read the
 * fp32 model; adding a variant means adding one entry here.
 */
export interface VariantProducer {
  /** Settings that change the output; part of the cache key. */
  settings(ctx: VariantContext): unknown;
  /** Writes the variant into `dir` and returns the model file's path relative to `dir`. */
  produce(fp32Dir: string, dir: string, ctx: VariantContext): string | Promise<string>;
}

function optimized(fp16: boolean): VariantProducer {
  return {
    settings: () => ({ optimize: true, fp16 }),
    produce(fp32Dir, dir) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath(fp16 ? 'fp16' : 'optimized');
      optimizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: path.join(dir, output), fp16 });
      return output;
    },
  };
}

/**
 * Weight quantization of the fp32 graph; with `fromOptimized`, of the Attention-fused graph, whose
 * Attention nodes become QAttention (measured 1.10-1.16x faster than quantizing the plain graph,
 * benchmarks/optimize-bench.ts).
 */
function quantized(options: Partial<QuantizeOptions>, kind: ModelFileKind, fromOptimized: boolean): VariantProducer {
  return {
    settings: () => ({ options, fromOptimized }),
    produce(fp32Dir, dir) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath(kind);
      let input = path.join(fp32Dir, MODEL_PATH);
      if (fromOptimized) {
        input = path.join(dir, modelFilePath('optimized'));
        optimizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: input });
      }
      quantizeFile({ input, output: path.join(dir, output), options });
      if (fromOptimized) fs.rmSync(input);
      return output;
    },
  };
}

/**
 * Static int8 QDQ with ranges from the task's own train split (dev when there is none). MinMax:
 * on the bundled SST-2 models it kept fp32's accuracy and agreed with fp32 as well as percentile
 * and better than entropy (benchmarks/calibrate-bench.ts), and it is the cheapest.
 */
function calibrated(options: Partial<QuantizeOptions>, kind: ModelFileKind): VariantProducer {
  const calibration = { ...CALIBRATION_DEFAULTS, method: 'minmax' } as const;
  return {
    settings: (ctx) => ({ options, calibration, task: ctx.task, dataDir: path.resolve(ctx.dataDir) }),
    async produce(fp32Dir, dir, ctx) {
      copySideFiles(fp32Dir, dir);
      const output = modelFilePath(kind);
      // The tokenizer is read from the fp32 folder, beside the model being calibrated.
      const settings = { ...calibration, task: ctx.task, dataDir: ctx.dataDir };
      await quantizeCalibrated({ input: fp32Dir, output: path.join(dir, output), options, calibration: settings });
      return output;
    },
  };
}

export const VARIANT_PRODUCERS: Readonly<Record<Exclude<VariantName, 'fp32'>, VariantProducer>> = {
  'fp32-optimized': optimized(false),
  'int8-dynamic': quantized({ bits: 8 }, 'q8', true),
  'int8-static': calibrated({ perChannel: true }, 'int8'),
  int4: quantized({ bits: 4 }, 'q4', false),
  fp16: optimized(true),
  'int8-auto': autoQuantized({ bits: 8 }),
};
