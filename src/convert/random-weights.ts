import type { EncoderConfig } from '../checkpoint/config.js';
import type { StateDict } from '../checkpoint/types.js';
import type { TensorSource } from '../tensor.js';
import { seededRandom } from '../util/random.js';
import { layoutTensors } from '../arch/layout-tensors.js';
import type { EncoderLayout, HeadName } from '../arch/types.js';

/** FNV-1a, to give every tensor its own reproducible stream from (seed, key). */
function hash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
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
    tensors.set(t.key, {
      dtype: 'float32',
      shape,
      bytes: () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = new Float32Array(n);
        if (t.role === 'norm-weight') data.fill(1);
        if (t.role === 'matrix' || t.role === 'embedding') {
          const rand = seededRandom(hash(t.key, seed)).next;
          for (let i = 0; i < n; i += 2) {
            const r = Math.sqrt(-2 * Math.log(1 - rand())) * initializerRange;
            const theta = 2 * Math.PI * rand();
            data[i] = r * Math.cos(theta);
            if (i + 1 < n) data[i + 1] = r * Math.sin(theta);
          }
        }
        return new Uint8Array(data.buffer);
      },
    });
  }
  return { file: `random weights (seed ${seed})`, tensors, close: () => undefined };
}
