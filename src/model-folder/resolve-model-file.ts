import fs from 'node:fs';
import path from 'node:path';
import { OnnxError, UsageError } from '../errors.js';
import { MODEL_FILE_NAMES, MODEL_PATH, ONNX_DIR } from './layout.js';

const USAGE_HINT = 'give a folder written by `albench convert` (with onnx/model.onnx) or an .onnx file';

/**
 * What every command that reads a model accepts: a folder means its onnx/model.onnx (or a
 * model.onnx at its root, as some exports have it); a file is taken as is.
 */
export function resolveModelFile(target: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new OnnxError(target, `no such file or folder; ${USAGE_HINT}`);
  }
  if (!stat.isDirectory()) return target;
  const found = [MODEL_PATH, MODEL_FILE_NAMES.fp32].map((f) => path.join(target, f)).find((f) => fs.existsSync(f));
  if (found === undefined) throw new OnnxError(target, `has neither ${MODEL_PATH} nor ${MODEL_FILE_NAMES.fp32}; ${USAGE_HINT}`);
  return found;
}

/**
 * A graph of a model folder named as its user would name it: `onnx/model_quantized.onnx` or
 * `model_quantized.onnx` is looked for inside the folder (and its onnx/), then as a path of its own.
 */
export function resolveModelFileIn(dir: string, name: string): string {
  const candidates = path.isAbsolute(name) ? [name] : [path.join(dir, name), path.join(dir, ONNX_DIR, name), name];
  const found = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (found === undefined) throw new OnnxError(name, `is not a file; looked for ${[...new Set(candidates)].join(', ')}`);
  return found;
}

/** Bytes of a model file and its external data file, if it has one. */
export function modelBytes(modelFile: string): number {
  const data = `${modelFile}_data`;
  return fs.statSync(modelFile).size + (fs.existsSync(data) ? fs.statSync(data).size : 0);
}

/** A variant is never written over the model it is made from, so a failed or mistaken run cannot cost the user that model. */
export function assertOutputIsNotInput(input: string, output: string): void {
  if (path.resolve(output) === path.resolve(input)) throw new UsageError(`the output ${output} would overwrite the input; choose another -o`);
}
