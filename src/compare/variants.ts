import fs from 'node:fs';
import path from 'node:path';
import { TOKENIZER_FILES } from '../checkpoint/load.js';
import { MODEL_PATH, RECORD_FILE } from '../convert/convert.js';
import { UnsupportedError } from '../errors.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { quantizeFile } from '../quantize/quantize.js';
import type { VariantName } from '../report/schema.js';

/**
 * How each variant is made from the converted fp32 folder. Each producer writes a complete model
 * folder (config, tokenizer, onnx/<file>) so eval and bench read variants exactly as they read the
 * fp32 model; adding a variant means adding one entry here.
 */
export interface VariantProducer {
  /** Settings that change the output; part of the cache key. */
  readonly settings: unknown;
  /** Writes the variant into `dir` and returns the model file's path relative to `dir`. */
  produce(fp32Dir: string, dir: string): string;
}

/** config.json, tokenizer files and the convert record, so a variant folder is self-describing. */
export function copyModelFolderFiles(from: string, to: string): void {
  fs.mkdirSync(path.join(to, 'onnx'), { recursive: true });
  for (const f of ['config.json', RECORD_FILE, ...TOKENIZER_FILES]) {
    if (fs.existsSync(path.join(from, f))) fs.copyFileSync(path.join(from, f), path.join(to, f));
  }
}

function quantized(options: Partial<QuantizeOptions>, fileName: string): VariantProducer {
  return {
    settings: options,
    produce(fp32Dir, dir) {
      copyModelFolderFiles(fp32Dir, dir);
      const output = path.join('onnx', fileName);
      quantizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: path.join(dir, output), options });
      return output;
    },
  };
}

function notAvailable(variant: VariantName, why: string): VariantProducer {
  return {
    settings: { unavailable: variant },
    produce() {
      throw new UnsupportedError(`variant ${variant} is not available: ${why}`);
    },
  };
}

export const VARIANT_PRODUCERS: Readonly<Record<Exclude<VariantName, 'fp32'>, VariantProducer>> = {
  'fp32-optimized': notAvailable('fp32-optimized', 'albench optimize has not landed yet'),
  'int8-dynamic': quantized({ bits: 8 }, 'model_quantized.onnx'),
  'int8-static': notAvailable('int8-static', 'static calibration (--calibrate) is not implemented yet'),
  int4: quantized({ bits: 4 }, 'model_q4.onnx'),
  fp16: notAvailable('fp16', 'the fp16 variant needs albench optimize --fp16 and a CUDA device'),
};
