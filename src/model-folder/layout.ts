import path from 'node:path';

/**
 * A model folder is laid out as the Hugging Face hub lays out ONNX exports, so transformers.js
 * and optimum read what albench writes: config.json and the tokenizer files at the root, the
 * graphs under onnx/, and albench's own record of how the folder was made beside them.
 */
export const CONFIG_FILE = 'config.json';
export const ONNX_DIR = 'onnx';
/** The convert record at the folder's root; a variant's record sits beside its graph (see recordFileFor). */
export const RECORD_FILE = 'albench.json';

/**
 * The one table from variant to file name under onnx/. The names are transformers.js' dtype
 * suffixes, so its `dtype` option loads the file albench wrote; `optimized` (the attention-fused
 * fp32 graph) has no dtype there and follows the same pattern.
 */
export const MODEL_FILE_NAMES = {
  fp32: 'model.onnx',
  optimized: 'model_optimized.onnx',
  fp16: 'model_fp16.onnx',
  /** Dynamic int8 with int8 weights. */
  q8: 'model_quantized.onnx',
  /** Dynamic int8 with uint8 weights. */
  uint8: 'model_uint8.onnx',
  /** Static int8: QDQ with calibrated activation ranges. */
  int8: 'model_int8.onnx',
  /** 4-bit weights (MatMulNBits). */
  q4: 'model_q4.onnx',
  /** int8 with the groups `quantize --max-drop` found sensitive kept in float (no transformers.js dtype). */
  auto: 'model_int8_auto.onnx',
} as const;

export type ModelFileKind = keyof typeof MODEL_FILE_NAMES;

/** Where a variant's graph sits, relative to its model folder. */
export const modelFilePath = (kind: ModelFileKind): string => path.join(ONNX_DIR, MODEL_FILE_NAMES[kind]);

/** The fp32 graph `albench convert` writes. */
export const MODEL_PATH = modelFilePath('fp32');

/** The variant's file in the same folder as `modelFile`: a quantized model lands beside the one it came from. */
export const modelFileBeside = (modelFile: string, kind: ModelFileKind): string => path.join(path.dirname(modelFile), MODEL_FILE_NAMES[kind]);

/** The folder holding config.json and the tokenizer: one level above onnx/, or the model file's own folder. */
export function modelRoot(modelFile: string): string {
  const dir = path.dirname(modelFile);
  return path.basename(dir) === ONNX_DIR ? path.dirname(dir) : dir;
}

/** The record of how a variant file was made: `onnx/model_q4.onnx` -> `onnx/model_q4.albench.json`. */
export function recordFileFor(modelFile: string): string {
  return `${modelFile.replace(/\.onnx$/, '')}.${RECORD_FILE}`;
}

/** transformers.js' dtype for each file name that has one; the rest load by file name (model_file_name). */
const DTYPE_OF: Partial<Record<ModelFileKind, string>> = { fp32: 'fp32', fp16: 'fp16', q8: 'q8', uint8: 'uint8', int8: 'int8', q4: 'q4' };

/** How transformers.js' from_pretrained loads a graph under onnx/: by its dtype, or as fp32 by `model_file_name`. */
export type TransformersJsLoad = { readonly dtype: string } | { readonly dtype: 'fp32'; readonly model_file_name: string };

export function transformersJsLoad(modelFile: string): TransformersJsLoad {
  const file = path.basename(modelFile);
  const kind = (Object.keys(MODEL_FILE_NAMES) as ModelFileKind[]).find((k) => MODEL_FILE_NAMES[k] === file);
  const dtype = kind === undefined ? undefined : DTYPE_OF[kind];
  return dtype !== undefined ? { dtype } : { dtype: 'fp32', model_file_name: file.replace(/\.onnx$/, '') };
}
