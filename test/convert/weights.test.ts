import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_SPECS } from '../../src/arch/registry.js';
import { Weights } from '../../src/convert/weights.js';
import { CheckpointError } from '../../src/errors.js';
import type { TensorSource } from '../../src/tensor.js';

const KEY = 'bert.embeddings.word_embeddings.weight';

/** A [rows, width] float32 tensor whose stream comes in chunks of `chunkFloats`, so rows straddle chunks. */
function weightsOf(data: Float32Array, rows: number, width: number, chunkFloats: number): Weights {
  const bytes = new Uint8Array(data.buffer);
  const source: TensorSource = {
    dtype: 'float32',
    shape: [rows, width],
    bytes: () => bytes,
    stream: (sink) => {
      for (let at = 0; at < bytes.length; at += chunkFloats * 4) sink(bytes.slice(at, Math.min(bytes.length, at + chunkFloats * 4)));
    },
  };
  return new Weights({ file: 'test.safetensors', tensors: new Map([[KEY, source]]), close: () => undefined }, MODEL_SPECS.bert);
}

describe('Weights: finite values', () => {
  const [rows, width] = [10, 3];
  const data = Float32Array.from({ length: rows * width }, (_, i) => i + 0.5);

  it('refuses a non-finite value and names the element holding the first one', () => {
    for (const bad of [0, 7, 8, 17, 29]) {
      const copy = data.slice();
      copy[bad] = bad % 2 === 0 ? NaN : -Infinity;
      copy[29] = bad === 29 ? copy[29] as number : Infinity;
      const w = weightsOf(copy, rows, width, 1000);
      assert.throws(() => w.array(KEY, [rows, width]), (e: unknown) => e instanceof CheckpointError && e.message.includes(`at element ${bad};`));
    }
  });
});
