import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeRecord } from '../model-folder/files.js';
import { modelFileBeside, modelRoot, recordFileFor, type ModelFileKind } from '../model-folder/layout.js';
import { assertOutputIsNotInput, modelBytes, resolveModelFile } from '../model-folder/resolve-model-file.js';
import { readOnnxModel } from '../onnx/from-proto.js';
import { writeModel } from '../onnx/serde.js';
import type { OnnxModel } from '../onnx/model.js';
import { mb } from '../util/format.js';
import { ALBENCH_VERSION } from '../version.js';
import { calibrate, type CalibrationRecord, type CalibrationSettings } from './calibrate/calibrate.js';
import { DEFAULT_OPTIONS, type QuantizeOptions } from './options.js';
import { assertNotQuantized, quantizeGraph, type QuantizedNode } from './quantize-graph.js';

export interface QuantizeFileOptions {
  /** A converted model folder (with onnx/model.onnx) or an .onnx file. */
  readonly input: string;
  /** Output file; default: the transformers.js name beside the input model. */
  readonly output?: string;
  readonly options?: Partial<QuantizeOptions>;
  /**
   * A rewrite of the float graph before quantizing: the int8 recipe (src/compare/int8-recipe.ts)
   * passes optimize's attention fusion here, since quantize may not import optimize.
   */
  readonly fuse?: AttentionFuser;
}

/** Fuses attention blocks in memory; returns the graph and how many blocks it fused. */
export type AttentionFuser = (model: OnnxModel) => { readonly model: OnnxModel; readonly blocks: number };

/** Calibration runs on the graph as read, so no fusion comes before it. */
export interface CalibratedQuantizeOptions extends Omit<QuantizeFileOptions, 'fuse'> {
  readonly calibration: CalibrationSettings;
  /** onnxruntime intra-op threads for the calibration runs (default: onnxruntime's). */
  readonly threads?: number;
}

/** What every quantize record begins with: the files, their sizes and the settings. */
export interface QuantizedFiles {
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly input: { readonly model: string; readonly bytes: number };
  readonly output: { readonly model: string; readonly bytes: number };
  readonly settings: Omit<QuantizeOptions, 'activations'> & { readonly activations: 'dynamic' | 'static' };
}

export interface QuantizeRecord extends QuantizedFiles {
  readonly format: 'albench-quantize-v1';
  /** Attention blocks fused before quantizing (each became one QAttention); 0 when none were. */
  readonly attentionFused: number;
  readonly quantized: readonly QuantizedNode[];
  readonly excluded: readonly string[];
  /** How the activation ranges of a static model were measured; null for every other variant. */
  readonly calibration: CalibrationRecord | null;
  readonly seconds: number;
}

/** The transformers.js dtype these settings produce, which names the default output file. */
function variantKind(o: QuantizeOptions): ModelFileKind {
  if (o.bits === 4) return 'q4';
  if (o.activations.kind === 'static') return 'int8';
  return o.weightType === 'uint8' ? 'uint8' : 'q8';
}

/** The requested options over the defaults, checked before any work is done. */
export function quantizeOptions(requested: Partial<QuantizeOptions> = {}): QuantizeOptions {
  const options: QuantizeOptions = { ...DEFAULT_OPTIONS, ...requested };
  if (options.bits === 4 && (options.blockSize < 16 || (options.blockSize & (options.blockSize - 1)) !== 0)) {
    throw new UsageError(`--block-size ${options.blockSize} must be a power of two, at least 16 (MatMulNBits' constraint)`);
  }
  return options;
}

/** Static int8 before its ranges are measured: QDQ is the only static form, whatever --format says. */
export function staticInt8Options(requested: Partial<QuantizeOptions> = {}): QuantizeOptions {
  if (requested.bits === 4) {
    throw new UsageError('--calibrate measures activation ranges for int8; 4-bit weights keep float activations, so drop --calibrate or --bits 4');
  }
  return quantizeOptions({ ...requested, bits: 8, format: 'qdq', activations: { kind: 'static', ranges: new Map() } });
}

/** Measures static options' activation ranges on real task examples with the fp32 model, and fixes them in the options. */
export async function withCalibratedRanges(
  model: OnnxModel, root: string, options: QuantizeOptions, settings: CalibrationSettings, threads?: number,
): Promise<{ readonly options: QuantizeOptions; readonly calibration: CalibrationRecord }> {
  const c = await calibrate(model, root, options, settings, threads);
  return { options: { ...options, activations: { kind: 'static', ranges: c.ranges } }, calibration: c.record };
}

/** Writes the quantized graph to `output` (making its folder) and describes the files. */
export function writeQuantized(model: OnnxModel, input: string, output: string, options: QuantizeOptions): QuantizedFiles {
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  writeModel(model, output);
  const { activations, ...rest } = options;
  return {
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    input: { model: input, bytes: modelBytes(input) },
    output: { model: output, bytes: modelBytes(output) },
    settings: { ...rest, activations: activations.kind },
  };
}

interface Job { readonly options: QuantizeOptions; readonly input: string; readonly output: string; readonly fuse?: AttentionFuser }

function prepare(req: QuantizeFileOptions, options: QuantizeOptions): Job {
  const input = resolveModelFile(req.input);
  const output = req.output ?? modelFileBeside(input, variantKind(options));
  assertOutputIsNotInput(input, output);
  return { options, input, output, ...(req.fuse ? { fuse: req.fuse } : {}) };
}

function write(job: Job, model: OnnxModel, t0: number, calibration: CalibrationRecord | null): QuantizeRecord {
  const { options, input, output } = job;
  assertNotQuantized(model, input);
  const fused = job.fuse ? job.fuse(model) : { model, blocks: 0 };
  const result = quantizeGraph(fused.model, options, input);
  const record: QuantizeRecord = {
    format: 'albench-quantize-v1',
    ...writeQuantized(result.model, input, output, options),
    attentionFused: fused.blocks,
    quantized: result.quantized,
    excluded: result.excluded,
    calibration,
    seconds: (performance.now() - t0) / 1000,
  };
  writeRecord(recordFileFor(output), record);
  return record;
}

export function quantizeFile(req: QuantizeFileOptions): QuantizeRecord {
  const t0 = performance.now();
  const job = prepare(req, quantizeOptions(req.options));
  return write(job, readOnnxModel(job.input), t0, null);
}

/**
 * Static int8: measures activation ranges on real task examples with the fp32 model, then writes
 * QDQ with those ranges fixed in the file (QDQ is the only static form, whatever --format says).
 */
export async function quantizeCalibrated(req: CalibratedQuantizeOptions): Promise<QuantizeRecord> {
  const t0 = performance.now();
  // Static from the start, so the default output gets the static variant's file name.
  const job = prepare(req, staticInt8Options(req.options));
  const model = readOnnxModel(job.input);
  const { options, calibration } = await withCalibratedRanges(model, modelRoot(job.input), job.options, req.calibration, req.threads);
  return write({ ...job, options }, model, t0, calibration);
}

export function formatQuantizeSummary(r: QuantizeRecord): string {
  const byOp = new Map<string, number>();
  for (const q of r.quantized) {
    const key = `${q.opType} -> ${q.as.join(' + ')}`;
    byOp.set(key, (byOp.get(key) ?? 0) + 1);
  }
  const sizes = `${mb(r.input.bytes, 1)} MB -> ${mb(r.output.bytes, 1)} MB (${(r.input.bytes / r.output.bytes).toFixed(2)}x smaller)`;
  const lines = [
    `${r.output.model}: ${sizes} in ${r.seconds.toFixed(1)} s`,
    ...(r.attentionFused > 0 ? [`fused ${r.attentionFused} attention blocks first (each quantized as one QAttention)`] : []),
    `quantized ${r.quantized.length} nodes:`,
    ...[...byOp].map(([k, n]) => `  ${n} x ${k}`),
  ];
  if (r.excluded.length > 0) lines.push(`kept in float by --exclude: ${r.excluded.join(', ')}`);
  const c = r.calibration;
  if (c !== null) {
    const method = c.percentile === null ? c.method : `${c.method} ${c.percentile}`;
    const data = `${c.samples} ${c.task} ${c.split} examples, ${c.batches} batches, ${c.tokens} tokens`;
    lines.push(`calibrated ${c.summary.values} activation ranges (${method}) on ${data}, in ${c.seconds.toFixed(1)} s; ${c.summary.clipped} clipped`);
  }
  lines.push(`record: ${recordFileFor(r.output.model)}`);
  return lines.join('\n');
}
