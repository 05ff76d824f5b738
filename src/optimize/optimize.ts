import fs from 'node:fs';
import path from 'node:path';
import { OnnxError } from '../errors.js';
import { writeRecord } from '../model-folder/files.js';
import { modelFileBeside, recordFileFor } from '../model-folder/layout.js';
import { assertOutputIsNotInput, modelBytes, resolveModelFile } from '../model-folder/resolve-model-file.js';
import { readOnnxModel } from '../onnx/from-proto.js';
import { MS_DOMAIN } from '../onnx/graph-ops.js';
import type { OnnxModel } from '../onnx/model.js';
import { writeModel } from '../onnx/serde.js';
import { mb } from '../util/format.js';
import { ALBENCH_VERSION } from '../version.js';
import { assertPlainFloatGraph } from './check-input.js';
import { toFloat16Model } from './float16-model.js';
import { fuseAttention, type FusedBlock } from './fuse-attention.js';

export interface OptimizeFileOptions {
  /** A converted model folder (with onnx/model.onnx) or an .onnx file. */
  readonly input: string;
  /** Output file; default: onnx/model_optimized.onnx (model_fp16.onnx with fp16) beside the input. */
  readonly output?: string;
  /** Also turn the fused graph into float16, with float32 inputs and outputs kept. */
  readonly fp16?: boolean;
}

export interface OptimizeRecord {
  readonly format: 'albench-optimize-v1';
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly input: { readonly model: string; readonly bytes: number; readonly nodes: number };
  readonly output: { readonly model: string; readonly bytes: number; readonly nodes: number };
  readonly fp16: boolean;
  /** Fused operators written, by op type. */
  readonly fused: Readonly<Record<string, number>>;
  readonly attention: { readonly blocks: readonly FusedBlock[]; readonly packedWeights: number };
  readonly seconds: number;
}

function countOps(model: OnnxModel, domain: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of model.graph.nodes) if (n.domain === domain) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return counts;
}

export function optimizeFile(req: OptimizeFileOptions): OptimizeRecord {
  const fp16 = req.fp16 ?? false;
  const input = resolveModelFile(req.input);
  const t0 = performance.now();
  const model = readOnnxModel(input);
  assertPlainFloatGraph(model, input);
  const output = req.output ?? modelFileBeside(input, fp16 ? 'fp16' : 'optimized');
  assertOutputIsNotInput(input, output);
  const fusion = fuseAttention(model);
  if (fusion.blocks.length === 0) {
    throw new OnnxError(input, 'has no self-attention block laid out as `albench convert` writes BERT/ALBERT; nothing to optimize');
  }
  const result = fp16 ? toFloat16Model(fusion.model) : fusion.model;
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  writeModel(result, output);
  const record: OptimizeRecord = {
    format: 'albench-optimize-v1',
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    input: { model: input, bytes: modelBytes(input), nodes: model.graph.nodes.length },
    output: { model: output, bytes: modelBytes(output), nodes: result.graph.nodes.length },
    fp16,
    fused: countOps(result, MS_DOMAIN),
    attention: { blocks: fusion.blocks, packedWeights: fusion.packedWeights },
    seconds: (performance.now() - t0) / 1000,
  };
  writeRecord(recordFileFor(output), record);
  return record;
}

export function formatOptimizeSummary(r: OptimizeRecord): string {
  const fused = Object.entries(r.fused).map(([op, n]) => `${n} x ${op}`).join(', ');
  const sizes = `${mb(r.input.bytes, 1)} MB -> ${mb(r.output.bytes, 1)} MB${r.fp16 ? ' (float16, float32 inputs/outputs)' : ''}`;
  const packed = `${r.attention.packedWeights} packed QKV weight tensor${r.attention.packedWeights === 1 ? '' : 's'}`;
  return [
    `${r.output.model}: ${r.input.nodes} -> ${r.output.nodes} nodes, ${sizes} in ${r.seconds.toFixed(1)} s`,
    `fused: ${fused} (${packed} for ${r.attention.blocks.length} attention blocks)`,
    'SkipLayerNormalization and BiasGelu/FastGelu are left to onnxruntime, which fuses them at load',
    `record: ${recordFileFor(r.output.model)}`,
  ].join('\n');
}
