import { makeNode } from '../onnx/graph-nodes.js';
import { attr, type Initializer, type OnnxNode } from '../onnx/model.js';
import { memoryTensor, numel, toFloat32, toHalfBits } from '../tensor.js';

const ONNX_FLOAT = 1;
const FLOAT16_MAX = 65504;
/** Scalars and short constants (shapes, the attention mask fill value) stay float32. */
const MIN_ELEMENTS = 16;

/**
 * The float vectors left after quantization (biases, LayerNorm scales and shifts) stored as
 * float16 and cast back by a Cast that onnxruntime folds at load, so the graph still computes in
 * float32. Half precision (3 decimal digits) is far finer than the int8 noise around it.
 */
export function storeVectorsAsFloat16(
  nodes: readonly OnnxNode[],
  initializers: readonly Initializer[],
  candidates: ReadonlySet<string>,
): { nodes: OnnxNode[]; initializers: Initializer[] } {
  const casts: OnnxNode[] = [];
  const out = initializers.map((init) => {
    const t = init.tensor;
    if (!candidates.has(init.name) || t.dtype !== 'float32' || t.shape.length !== 1 || numel(t.shape) < MIN_ELEMENTS) return init;
    const values = toFloat32(t);
    if (values.some((v) => !(Math.abs(v) <= FLOAT16_MAX))) return init;
    const half = Uint16Array.from(values, toHalfBits);
    const name = `${init.name}_fp16`;
    casts.push(makeNode('Cast', `${init.name}_to_float`, [name], [init.name], { to: attr.int(ONNX_FLOAT) }));
    return { name, tensor: memoryTensor('float16', t.shape, half) };
  });
  return { nodes: [...casts, ...nodes], initializers: out };
}
