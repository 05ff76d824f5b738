import path from 'node:path';
import ort from 'onnxruntime-node';
import { GraphBuilder, type Value } from '../../src/onnx/builder.js';
import type { Dim, OnnxModel } from '../../src/onnx/model.js';
import { writeModel } from '../../src/onnx/serde.js';
import { seededRandom } from '../../src/util/random.js';
import { memoryTensor } from '../../src/tensor.js';
import { tempDir } from '../helpers/paths.js';

/** Seeded values in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r.next() * 2 - 1);
}

/** A one-op graph: float input x [rows, K] -> build(x) -> y. */
export function singleOpModel(K: number, build: (g: GraphBuilder, x: Value) => Value, outDims: readonly Dim[]): OnnxModel {
  const g = new GraphBuilder(17);
  const x = g.input('x', 'float32', ['rows', K]);
  g.output(build(g, x), 'y', 'float32', outDims);
  return g.build('rule-test', {}, 'test');
}

export const weight = (g: GraphBuilder, name: string, shape: [number, number], seed: number) =>
  g.initializer(name, memoryTensor('float32', shape, randomValues(shape[0] * shape[1], seed)));

/** Runs a model written to a temp file and returns output y. */
export async function runY(model: OnnxModel, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const file = path.join(tempDir(), 'm.onnx');
  writeModel(model, file);
  const s = await ort.InferenceSession.create(file);
  try {
    const out = await s.run(feeds);
    return out['y']?.data as Float32Array;
  } finally {
    await s.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}
