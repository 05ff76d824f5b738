import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { readModelProto } from '../../src/onnx/serde.js';
import { tempDir } from './paths.js';

/** Every output of a model file, by name, as float32. */
export async function runAllOutputs(file: string, feeds: Record<string, ort.Tensor>): Promise<Map<string, Float32Array>> {
  const session = await ort.InferenceSession.create(file);
  try {
    const out = await session.run(feeds);
    return new Map(session.outputNames.map((name) => [name, out[name]?.data as Float32Array]));
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

/** Blocks of attention each fixture runs: ALBERT repeats its shared groups `inner_group_num` times per layer. */
export function executedLayerBlocks(modelDir: string): number {
  const c = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as { model_type: string; num_hidden_layers: number; inner_group_num?: number };
  return c.num_hidden_layers * (c.model_type === 'albert' ? c.inner_group_num ?? 1 : 1);
}

/** The operators onnxruntime actually runs, read back from the graph it optimized at load. */
export async function runtimeOps(file: string): Promise<Map<string, number>> {
  const optimized = path.join(tempDir(), 'ort-optimized.onnx');
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'extended', optimizedModelFilePath: optimized });
  await session.release();
  const ops = new Map<string, number>();
  for (const n of readModelProto(optimized).graph?.node ?? []) ops.set(n.opType ?? '', (ops.get(n.opType ?? '') ?? 0) + 1);
  return ops;
}
