import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { CHECKPOINTS as FIXTURES, MODEL_BINS } from '../helpers/paths.js';
import { readSafetensors } from '../helpers/safetensors-reader.js';

/** Keys HF saves in pytorch_model.bin but drops from model.safetensors as aliases of others. */
const TIED_ALIASES: Readonly<Record<string, string>> = {
  'cls.predictions.decoder.weight': 'bert.embeddings.word_embeddings.weight',
  'cls.predictions.decoder.bias': 'cls.predictions.bias',
};

/** Each pytorch_model.bin with the model.safetensors it must equal (a bundled model's .bin is kept among the fixtures). */
function checkpointDirs(): { name: string; bin: string; safetensors: string }[] {
  const pair = (name: string, binDir: string, safetensorsDir: string) =>
    ({ name, bin: path.join(binDir, 'pytorch_model.bin'), safetensors: path.join(safetensorsDir, 'model.safetensors') });
  const fixtures = fs.readdirSync(FIXTURES).map((name) => pair(name, path.join(FIXTURES, name), path.join(FIXTURES, name)));
  const models = ['bert-sst2-mini', 'albert-sst2-mini'].map((name) => pair(name, path.join(MODEL_BINS, name), path.join(BUNDLED_MODELS_DIR, name)));
  return [...fixtures, ...models];
}

describe('openTorchBin on real checkpoints', () => {
  const dirs = checkpointDirs();

  it('finds the fixtures', () => {
    assert.ok(dirs.length >= 8, `expected 6 fixtures and 2 models, found ${dirs.length}`);
  });

  for (const { name, bin, safetensors } of dirs) {
    it(`${name}: every tensor equals model.safetensors`, () => {
      const reference = readSafetensors(safetensors);
      const state = openTorchBin(bin);
      try {
        const binKeys = [...state.tensors.keys()].filter((key) => !(key in TIED_ALIASES && !reference.has(key)));
        assert.deepEqual(new Set(binKeys), new Set(reference.keys()));
        for (const [key, expected] of reference) {
          const tensor = state.tensors.get(key)!;
          assert.equal(tensor.dtype, expected.dtype, key);
          assert.deepEqual(tensor.shape, expected.shape, key);
          assert.ok(Buffer.from(tensor.bytes()).equals(expected.bytes), `${key}: bytes differ`);
        }
      } finally {
        state.close();
      }
    });
  }

  it('bert-tiny-mlm: tied decoder keys (one storage shared in the file) equal the embeddings and bias', () => {
    const state = openTorchBin(path.join(FIXTURES, 'bert-tiny-mlm', 'pytorch_model.bin'));
    try {
      for (const [alias, original] of Object.entries(TIED_ALIASES)) {
        const a = state.tensors.get(alias);
        const b = state.tensors.get(original);
        assert.ok(a && b, `${alias} and ${original} present`);
        assert.deepEqual(a.shape, b.shape);
        assert.ok(Buffer.from(a.bytes()).equals(b.bytes()), `${alias} equals ${original}`);
      }
      assert.deepEqual(state.tensors.get('cls.predictions.decoder.weight')!.shape, [1000, 64]);
    } finally {
      state.close();
    }
  });

  it('legacy-keys: the int64 position_ids buffer comes out as int64 0..127', () => {
    const state = openTorchBin(path.join(FIXTURES, 'bert-tiny-cls-legacy-keys', 'pytorch_model.bin'));
    try {
      const ids = state.tensors.get('bert.embeddings.position_ids')!;
      assert.equal(ids.dtype, 'int64');
      assert.deepEqual(ids.shape, [1, 128]);
      const bytes = ids.bytes();
      const values = new BigInt64Array(bytes.buffer, bytes.byteOffset, 128);
      assert.deepEqual([...values].map(Number), Array.from({ length: 128 }, (_, i) => i));
    } finally {
      state.close();
    }
  });
});
