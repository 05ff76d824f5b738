import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { knownConfig } from '../../src/arch/known.js';
import { MODEL_SPECS } from '../../src/arch/registry.js';
import { randomStateDict } from '../../src/convert/random-weights.js';
import { STREAM_CHUNK_BYTES, tensorChunks } from '../../src/tensor.js';

describe('randomStateDict', () => {
  const { config } = knownConfig('bert-base-uncased');
  const sd = randomStateDict(config, MODEL_SPECS.bert.layout(config), 'sequence-classification', 7);

  it('gives in chunks of at most 4 MB exactly the bytes it gives whole, for a matrix of several chunks, a LayerNorm weight and a bias', () => {
    for (const key of ['bert.encoder.layer.0.intermediate.dense.weight', 'bert.embeddings.LayerNorm.weight', 'bert.encoder.layer.0.output.dense.bias']) {
      const t = sd.tensors.get(key);
      assert.ok(t !== undefined, key);
      const whole = t.bytes();
      // A chunk is valid until the next is asked for: copy each as it comes.
      const parts: Buffer[] = [];
      for (const c of tensorChunks(t)) {
        assert.ok(c.byteLength <= STREAM_CHUNK_BYTES, `${key}: a chunk of ${c.byteLength} bytes`);
        parts.push(Buffer.from(c));
      }
      if (key.endsWith('intermediate.dense.weight')) assert.equal(parts.length, 3, '3072 x 768 floats are 2.25 chunks');
      assert.ok(Buffer.concat(parts).equals(Buffer.from(whole)), key);
    }
    const norm = new Float32Array(sd.tensors.get('bert.embeddings.LayerNorm.weight')?.bytes().slice().buffer ?? new ArrayBuffer(0));
    assert.ok(norm.length === 768 && norm.every((v) => v === 1));
  });
});
