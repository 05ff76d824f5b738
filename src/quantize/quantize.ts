import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { readOnnxModel } from '../onnx/from-proto.js';
import { writeModel } from '../onnx/serde.js';
import type { OnnxModel } from '../onnx/model.js';
import { writeFileAtomic } from '../util/atomic.js';
import { ALBENCH_VERSION } from '../version.js';
import { calibrate, type CalibrationRecord, type CalibrationSettings } from './calibrate/calibrate.js';
import { DEFAULT_OPTIONS, type QuantizeOptions } from './options.js';
import { quantizeGraph, type QuantizedNode } from './quantize-graph.js';

export interface QuantizeFileOptions {
  /** A converted model folder (with onnx/model.onnx) or an .onnx file. */
  readonly input: string;
  /** Output file; default: the transformers.js name beside the input model. */
  readonly output?: string;
  readonly options?: Partial<QuantizeOptions>;
}

export interface CalibratedQuantizeOptions extends QuantizeFileOptions {
  readonly calibration: CalibrationSettings;
  /** onnxruntime intra-op threads for the calibration runs (default: onnxruntime's). */
  readonly threads?: number;
}

export interface QuantizeRecord {
  readonly format: 'albench-quantize-v1';
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly input: { readonly model: string; readonly bytes: number };
  readonly output: { readonly model: string; readonly bytes: number };
  readonly settings: Omit<QuantizeOptions, 'activations'> & { readonly activations: 'dynamic' | 'static' };
  readonly quantized: readonly QuantizedNode[];
  readonly excluded: readonly string[];
  /** How the activation ranges of a static model were measured; null for every other variant. */
  readonly calibration: CalibrationRecord | null;
  readonly seconds: number;
}

/** The file names transformers.js looks for under onnx/ for each `dtype`. */
export function variantFileName(o: QuantizeOptions): string {
  if (o.bits === 4) return 'model_q4.onnx';
  if (o.activations.kind === 'static') return 'model_int8.onnx';
  return o.weightType === 'uint8' ? 'model_uint8.onnx' : 'model_quantized.onnx';
}

/** A folder means its onnx/model.onnx; a file is taken as is. */
export function resolveModelFile(input: string): string {
  if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
    const file = path.join(input, 'onnx', 'model.onnx');
    if (!fs.existsSync(file)) throw new UsageError(`${input} is a folder without onnx/model.onnx; give the model file, or a folder written by \`albench convert\``);
    return file;
  }
  if (!fs.existsSync(input)) throw new UsageError(`${input} does not exist; give an .onnx file or a converted model folder`);
  return input;
}

/** Bytes of a model file and its external data file, if it has one. */
export function modelBytes(file: string): number {
  const data = `${file}_data`;
  return fs.statSync(file).size + (fs.existsSync(data) ? fs.statSync(data).size : 0);
}

export function recordFileFor(output: string): string {
  return output.replace(/\.onnx$/, '') + '.albench.json';
}

/** The folder whose tokenizer calibration uses: the input folder, or the one holding the input's onnx/ folder. */
function modelFolderOf(input: string, file: string): string {
  if (fs.statSync(input).isDirectory()) return input;
  const dir = path.dirname(path.resolve(file));
  return path.basename(dir) === 'onnx' ? path.dirname(dir) : dir;
}

interface Job { readonly options: QuantizeOptions; readonly input: string; readonly output: string }

function prepare(req: QuantizeFileOptions, overrides: Partial<QuantizeOptions> = {}): Job {
  const options: QuantizeOptions = { ...DEFAULT_OPTIONS, ...req.options, ...overrides };
  if (options.bits === 4 && (options.blockSize < 16 || (options.blockSize & (options.blockSize - 1)) !== 0)) {
    throw new UsageError(`--block-size ${options.blockSize} must be a power of two, at least 16 (MatMulNBits' constraint)`);
  }
  const input = resolveModelFile(req.input);
  const output = req.output ?? path.join(path.dirname(input), variantFileName(options));
  if (path.resolve(output) === path.resolve(input)) throw new UsageError(`the output ${output} would overwrite the input; choose another -o`);
  return { options, input, output };
}

function write(job: Job, model: OnnxModel, t0: number, calibration: CalibrationRecord | null): QuantizeRecord {
  const { options, input, output } = job;
  const result = quantizeGraph(model, options, input);
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  writeModel(result.model, output);
  const { activations, ...rest } = options;
  const record: QuantizeRecord = {
    format: 'albench-quantize-v1',
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    input: { model: input, bytes: modelBytes(input) },
    output: { model: output, bytes: modelBytes(output) },
    settings: { ...rest, activations: activations.kind },
    quantized: result.quantized,
    excluded: result.excluded,
    calibration,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileAtomic(recordFileFor(output), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

export function quantizeFile(req: QuantizeFileOptions): QuantizeRecord {
  const t0 = performance.now();
  const job = prepare(req);
  return write(job, readOnnxModel(job.input), t0, null);
}

/**
 * Static int8: measures activation ranges on real task examples with the fp32 model, then writes
 * QDQ with those ranges fixed in the file (QDQ is the only static form, whatever --format says).
 */
export async function quantizeCalibrated(req: CalibratedQuantizeOptions): Promise<QuantizeRecord> {
  const t0 = performance.now();
  if (req.options?.bits === 4) throw new UsageError('--calibrate measures activation ranges for int8; 4-bit weights keep float activations, so drop --calibrate or --bits 4');
  // Static from the start, so the default output gets the static variant's file name.
  const job = prepare(req, { bits: 8, format: 'qdq', activations: { kind: 'static', ranges: new Map() } });
  const model = readOnnxModel(job.input);
  const c = await calibrate(model, modelFolderOf(req.input, job.input), job.options, req.calibration, req.threads);
  const options: QuantizeOptions = { ...job.options, activations: { kind: 'static', ranges: c.ranges } };
  return write({ ...job, options }, model, t0, c.record);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function formatQuantizeSummary(r: QuantizeRecord): string {
  const byOp = new Map<string, number>();
  for (const q of r.quantized) byOp.set(`${q.opType} -> ${q.as.join(' + ')}`, (byOp.get(`${q.opType} -> ${q.as.join(' + ')}`) ?? 0) + 1);
  const lines = [
    `${r.output.model}: ${mb(r.input.bytes)} -> ${mb(r.output.bytes)} (${(r.input.bytes / r.output.bytes).toFixed(2)}x smaller) in ${r.seconds.toFixed(1)} s`,
    `quantized ${r.quantized.length} nodes:`,
    ...[...byOp].map(([k, n]) => `  ${n} x ${k}`),
  ];
  if (r.excluded.length > 0) lines.push(`kept in float by --exclude: ${r.excluded.join(', ')}`);
  const c = r.calibration;
  if (c !== null) {
    const method = c.percentile === null ? c.method : `${c.method} ${c.percentile}`;
    lines.push(`calibrated ${c.summary.values} activation ranges (${method}) on ${c.samples} ${c.task} ${c.split} examples, ${c.batches} batches, ${c.tokens} tokens, in ${c.seconds.toFixed(1)} s; ${c.summary.clipped} clipped`);
  }
  lines.push(`record: ${recordFileFor(r.output.model)}`);
  return lines.join('\n');
}
