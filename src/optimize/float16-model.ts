import { FreshNames } from '../onnx/graph-names.js';
import { makeNode } from '../onnx/graph-nodes.js';
import { attr, type Initializer, type OnnxModel, type OnnxNode } from '../onnx/model.js';
import { memoryTensor, toFloat32, toHalfBits } from '../tensor.js';

const ONNX_FLOAT = 1;
const ONNX_FLOAT16 = 10;
const FLOAT16_MAX = 65504;
/**
 * Padded keys in float16: float32's lowest would become -inf, and a score plus -inf is NaN-prone
 * in half-precision kernels; -10000 is what onnxruntime's own fusions use and still zeroes exp().
 */
const FLOAT16_MASK_FILTER = -10000;

const half = (values: Float32Array) => Uint16Array.from(values, (v) => toHalfBits(Math.max(-FLOAT16_MAX, Math.min(FLOAT16_MAX, v))));

function toHalfNode(n: OnnxNode): OnnxNode {
  const to = n.attributes['to'];
  if (n.opType === 'Cast' && to?.kind === 'int' && to.value === ONNX_FLOAT) return { ...n, attributes: { ...n.attributes, to: attr.int(ONNX_FLOAT16) } };
  if (n.opType === 'Attention' && n.attributes['mask_filter_value'] !== undefined) {
    return { ...n, attributes: { ...n.attributes, mask_filter_value: attr.float(FLOAT16_MASK_FILTER) } };
  }
  return n;
}

/**
 * The same graph computing in float16 (for CUDA, where half precision runs on tensor cores):
 * float32 initializers become float16 (saturating at half's range), casts to float32 inside the
 * graph cast to float16, and float32 graph inputs and outputs keep their type through Casts at
 * the edges, so callers feed and read exactly what they did before.
 */
export function toFloat16Model(model: OnnxModel): OnnxModel {
  const g = model.graph;
  const names = new FreshNames(model);
  const renamed = new Map<string, string>();
  const head: OnnxNode[] = [];
  const tail: OnnxNode[] = [];
  for (const v of g.inputs.filter((i) => i.dtype === 'float32')) {
    const inside = names.fresh(`${v.name}_fp16`);
    renamed.set(v.name, inside);
    head.push(makeNode('Cast', names.fresh(`/${v.name}/Cast_fp16`), [v.name], [inside], { to: attr.int(ONNX_FLOAT16) }));
  }
  for (const v of g.outputs.filter((o) => o.dtype === 'float32')) {
    const inside = names.fresh(`${v.name}_fp16`);
    renamed.set(v.name, inside);
    tail.push(makeNode('Cast', names.fresh(`/${v.name}/Cast_fp32`), [inside], [v.name], { to: attr.int(ONNX_FLOAT) }));
  }
  const rename = (x: string) => renamed.get(x) ?? x;
  const body = g.nodes.map((n) => toHalfNode({ ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) }));
  const toHalf = (i: Initializer): Initializer => ({ name: i.name, tensor: memoryTensor('float16', i.tensor.shape, half(toFloat32(i.tensor))) });
  const initializers = g.initializers.map((i) => (i.tensor.dtype === 'float32' ? toHalf(i) : i));
  return { ...model, graph: { ...g, nodes: [...head, ...body, ...tail], initializers } };
}
