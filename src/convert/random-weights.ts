import type { EncoderConfig } from '../checkpoint/config.js';
import type { StateDict } from '../checkpoint/types.js';
import { STREAM_CHUNK_BYTES, type TensorSource } from '../tensor.js';
import { seededRandom } from '../util/random.js';
import { layoutTensors, type Role } from '../arch/layout-tensors.js';
import type { EncoderLayout, HeadName } from '../arch/types.js';

/** FNV-1a, to give every tensor its own reproducible stream from (seed, key). */
function hash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Fills `data` with the next values of a tensor of this role: normal(0, range) pairs by Box-Muller
 * from `rand` for matrices and embeddings, ones for LayerNorm weights, zeros for the rest. Filling
 * a tensor in parts of even length gives the values one fill of the whole would.
 */
function fillValues(data: Float32Array, role: Role, rand: () => number, range: number): void {
  if (role === 'norm-weight') {
    data.fill(1);
    return;
  }
  if (role !== 'matrix' && role !== 'embedding') {
    data.fill(0);
    return;
  }
  for (let i = 0; i < data.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand())) * range;
    const theta = 2 * Math.PI * rand();
    data[i] = r * Math.cos(theta);
    if (i + 1 < data.length) data[i + 1] = r * Math.sin(theta);
  }
}

/**
 * A state dict with transformers' initialisation (normal(0, initializer_range) matrices and
 * embeddings, zero biases, unit LayerNorms), generated on demand from (seed, key) so a full-size
 * model costs no memory until a tensor is written.
 */
export function randomStateDict(cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, seed: number, initializerRange = 0.02): StateDict {
  const tensors = new Map<string, TensorSource>();
  for (const t of layoutTensors(cfg, layout, head)) {
    if (tensors.has(t.key)) continue;
    const shape = [...t.shape];
    const n = shape.reduce((a, b) => a * b, 1);
    const freshRandom = () => seededRandom(hash(t.key, seed)).next;
    tensors.set(t.key, {
      dtype: 'float32',
      shape,
      bytes: () => {
        const data = new Float32Array(n);
        fillValues(data, t.role, freshRandom(), initializerRange);
        return new Uint8Array(data.buffer);
      },
      // In parts, so a writer can let the event loop run while a 125 MB table is made (bert-large's words).
      *chunks() {
        const next = freshRandom();
        const part = new Float32Array(Math.min(n, STREAM_CHUNK_BYTES / 4));
        for (let at = 0; at < n; at += part.length) {
          const values = part.subarray(0, Math.min(part.length, n - at));
          fillValues(values, t.role, next, initializerRange);
          yield new Uint8Array(values.buffer, 0, values.byteLength);
        }
      },
    });
  }
  return { file: `random weights (seed ${seed})`, tensors, close: () => undefined };
}
