import { memoryTensor, toFloat32, type TensorSource } from '../tensor.js';
import type { AttentionBlock } from './match-attention.js';

/** Attention's weights: [in, 3H], each row the query, key and value rows side by side. */
export function packWeights(q: TensorSource, k: TensorSource, v: TensorSource): TensorSource {
  const [rows, cols] = q.shape as [number, number];
  const parts = [toFloat32(q), toFloat32(k), toFloat32(v)];
  const packed = new Float32Array(rows * 3 * cols);
  for (let r = 0; r < rows; r++) {
    parts.forEach((p, i) => packed.set(p.subarray(r * cols, (r + 1) * cols), (3 * r + i) * cols));
  }
  return memoryTensor('float32', [rows, 3 * cols], packed);
}

/** Attention's bias: [3H], query then key then value. */
export function packBiases(q: TensorSource, k: TensorSource, v: TensorSource): TensorSource {
  const parts = [toFloat32(q), toFloat32(k), toFloat32(v)];
  const packed = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    packed.set(p, at);
    at += p.length;
  }
  return memoryTensor('float32', [packed.length], packed);
}

/** Blocks that read the same three initializers (ALBERT's shared layers) get one packed tensor. */
export const weightKey = (b: AttentionBlock) => `${b.query.weight}|${b.key.weight}|${b.value.weight}`;
export const biasKey = (b: AttentionBlock) => `${b.query.bias}|${b.key.bias}|${b.value.bias}`;
