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
    *chunks() {
      for (let at = 0; at < bytes.length; at += chunkFloats * 4) yield bytes.slice(at, Math.min(bytes.length, at + chunkFloats * 4));
    },
  };
  return new Weights({ file: 'test.safetensors', tensors: new Map([[KEY, source]]), close: () => undefined }, MODEL_SPECS.bert);
}

describe('Weights.readRows', () => {
  const [rows, width] = [10, 3];
  const data = Float32Array.from({ length: rows * width }, (_, i) => i + 0.5);
  const expected = (from: number, to: number) => Array.from(data.subarray(from * width, to * width));

  it('returns each run of rows in its own array, in the order asked, whatever the chunks', () => {
    const runs = [[2, 3], [0, 1], [9, 10], [3, 7], [2, 3]] as const;
    for (const chunk of [1, 4, 7, 30, 1000]) {
      const got = weightsOf(data, rows, width, chunk).readRows(KEY, [rows, width], runs);
      assert.deepEqual(got.map((a) => Array.from(a)), runs.map(([a, b]) => expected(a, b)), `chunks of ${chunk} floats`);
    }
  });

  it('reads into the arrays alloc gives', () => {
    const given: Float32Array[] = [];
    const got = weightsOf(data, rows, width, 7).readRows(KEY, [rows, width], [[0, 5], [5, 10]], (n) => {
      given.push(new Float32Array(n).fill(-1));
      return given[given.length - 1] as Float32Array;
    });
    assert.deepEqual(got, given);
    assert.deepEqual(Array.from(got[1] ?? []), expected(5, 10));
  });

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

describe('Weights.transposed', () => {
  it('gives each weight its own transposed bytes when two are written chunk by chunk in turn (two conversions in one process)', () => {
    const [out, inputs] = [1024, 2048];
    const key = 'bert.encoder.layer.0.intermediate.dense.weight';
    const sources = [0, 1].map((s) => Float32Array.from({ length: out * inputs }, (_, i) => (i % 9973) + s * 0.5));
    const streams = sources.map((data) => {
      const bytes = new Uint8Array(data.buffer);
      const source: TensorSource = { dtype: 'float32', shape: [out, inputs], bytes: () => bytes };
      const w = new Weights({ file: 'test.safetensors', tensors: new Map([[key, source]]), close: () => undefined }, MODEL_SPECS.bert);
      return w.transposed(key, out, inputs).chunks?.()[Symbol.iterator]();
    });
    const got: Buffer[][] = [[], []];
    for (let done = false; !done;) {
      done = true;
      streams.forEach((s, i) => {
        const next = s?.next();
        if (next === undefined || next.done === true) return;
        done = false;
        got[i]?.push(Buffer.from(next.value));
      });
    }
    sources.forEach((data, s) => {
      const written = new Float32Array(new Uint8Array(Buffer.concat(got[s] ?? [])).buffer);
      assert.equal(got[s]?.length, 2, 'two chunks each');
      assert.equal(written.length, out * inputs);
      let wrong = 0;
      for (let r = 0; r < inputs; r++) for (let c = 0; c < out; c++) if (written[r * out + c] !== data[c * inputs + r]) wrong++;
      assert.equal(wrong, 0, `weight ${s}: values not at their transposed place`);
    });
  });
});
