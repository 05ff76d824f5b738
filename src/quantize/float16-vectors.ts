import { attr, type Initializer, type OnnxNode } from '../onnx/model.js';
import { memoryTensor, numel, toFloat32 } from '../tensor.js';

const ONNX_FLOAT = 1;
const FLOAT16_MAX = 65504;
/** Scalars and short constants (shapes, the attention mask fill value) stay float32. */
const MIN_ELEMENTS = 16;

/** float32 -> IEEE half bits, rounding to nearest even (finite inputs within half range). */
export function toHalfBits(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  const e = exp - 127 + 15;
  if (exp === 0 || e < -10) return sign; // zero or below half's subnormals
  if (e <= 0) {
    // Subnormal half: shift the full mantissa (with its implicit 1) into 10 bits, round to even.
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1) === 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0));
}

/**
 * The float vectors left after quantization (biases, LayerNorm scales and shifts) stored as
 * float16 and cast back by a Cast that onnxruntime folds at load, so the graph still computes in
 * float32. Half precision (3 decimal digits) is far finer than the int8 noise around it.
 */
export function storeVectorsAsFloat16(nodes: readonly OnnxNode[], initializers: readonly Initializer[], candidates: ReadonlySet<string>): { nodes: OnnxNode[]; initializers: Initializer[] } {
  const casts: OnnxNode[] = [];
  const out = initializers.map((init) => {
    const t = init.tensor;
    if (!candidates.has(init.name) || t.dtype !== 'float32' || t.shape.length !== 1 || numel(t.shape) < MIN_ELEMENTS) return init;
    const values = toFloat32(t);
    if (values.some((v) => !(Math.abs(v) <= FLOAT16_MAX))) return init;
    const half = Uint16Array.from(values, toHalfBits);
    const name = `${init.name}_fp16`;
    casts.push({ opType: 'Cast', domain: '', name: `${init.name}_to_float`, inputs: [name], outputs: [init.name], attributes: { to: attr.int(ONNX_FLOAT) } });
    return { name, tensor: memoryTensor('float16', t.shape, half) };
  });
  return { nodes: [...casts, ...nodes], initializers: out };
}
