import fs from 'node:fs';
import path from 'node:path';
import { copySideFiles } from '../../src/model-folder/files.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import type { Initializer, OnnxModel } from '../../src/onnx/model.js';
import { writeModel } from '../../src/onnx/serde.js';
import { memoryTensor, toFloat32 } from '../../src/tensor.js';

export interface StressSettings {
  /** Encoder layers whose value projection is rescaled (ALBERT's shared layer: any one hits every depth). */
  readonly layers: readonly number[];
  /** Output channel of the value projection that is multiplied. */
  readonly channel: number;
  readonly factor: number;
}

export const STRESS_DEFAULTS: StressSettings = { layers: [0, 1], channel: 0, factor: 3000 };

/**
 * A copy of a converted folder whose float function is the same but whose per-tensor int8 is
 * not: value-projection output channel c (weight column c in ONNX's [in, out] layout, and bias c)
 * times `factor`, and row c of the attention output projection divided by it. Attention mixes V
 * linearly per channel, so the context's channel c is `factor` times larger and the output
 * projection undoes it; quantization now sees one channel hundreds of times wider than the rest,
 * in the value weight and in the activation the output projection quantizes (an outlier channel).
 */
export function writeStressModel(fp32Dir: string, outDir: string, s: StressSettings = STRESS_DEFAULTS): string {
  const model = readOnnxModel(path.join(fp32Dir, MODEL_PATH));
  const scaled = new Map<string, Initializer>();
  for (const layer of s.layers) {
    const value = nodeNamed(model, `/encoder/layer.${layer}/attention/value/MatMul`);
    const output = nodeNamed(model, `/encoder/layer.${layer}/attention/output/MatMul`);
    const add = model.graph.nodes.find((n) => n.opType === 'Add' && n.inputs.includes(value.outputs[0] ?? ''));
    const bias = add?.inputs.find((i) => i !== value.outputs[0]);
    if (bias === undefined) throw new Error(`no bias Add after ${value.name}`);
    rescale(model, scaled, value.inputs[1] ?? '', (v, n) => v.forEach((x, i) => { if (i % n === s.channel) v[i] = x * s.factor; }));
    rescale(model, scaled, bias, (v) => { v[s.channel] = (v[s.channel] as number) * s.factor; });
    rescale(model, scaled, output.inputs[1] ?? '', (v, n) => { for (let j = 0; j < n; j++) v[s.channel * n + j] = (v[s.channel * n + j] as number) / s.factor; });
  }
  const initializers = model.graph.initializers.map((i) => scaled.get(i.name) ?? i);
  fs.mkdirSync(path.join(outDir, 'onnx'), { recursive: true });
  copySideFiles(fp32Dir, outDir);
  writeModel({ ...model, graph: { ...model.graph, initializers } }, path.join(outDir, MODEL_PATH));
  return outDir;
}

function nodeNamed(model: OnnxModel, name: string) {
  const node = model.graph.nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`no node ${name}`);
  return node;
}

/** ALBERT's layers share one weight: it is rescaled once, however many layers name it. */
function rescale(model: OnnxModel, done: Map<string, Initializer>, name: string, edit: (v: Float32Array, columns: number) => void): void {
  if (done.has(name)) return;
  const init = model.graph.initializers.find((i) => i.name === name);
  if (init === undefined) throw new Error(`no initializer ${name}`);
  const values = Float32Array.from(toFloat32(init.tensor));
  edit(values, init.tensor.shape[init.tensor.shape.length - 1] ?? 1);
  done.set(name, { name, tensor: memoryTensor('float32', init.tensor.shape, values) });
}
