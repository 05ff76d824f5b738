import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';
import { convert } from '../../src/convert/convert.js';
import { readPredictions, readSst2Dev } from '../helpers/sst2.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

/**
 * The output folder follows the HF ONNX layout, so transformers.js loads it as-is (local files
 * only, no network) and, with the model's own tokenizer.json, reproduces PyTorch's SST-2 dev
 * predictions and logits.
 */
describe('converted bundled models load in @huggingface/transformers', () => {
  env.allowRemoteModels = false;
  const sentences = readSst2Dev();
  for (const name of ['bert-sst2-mini', 'albert-sst2-mini']) {
    it(`${name}: all ${sentences.length} SST-2 dev predictions equal PyTorch's, logits within 1e-4`, async () => {
      const root = tempDir();
      await convert({ source: { kind: 'checkpoint', dir: path.join(REPO_ROOT, 'models', name) }, outDir: path.join(root, name) });
      env.localModelPath = root;
      const tokenizer = await AutoTokenizer.from_pretrained(name);
      const model = await AutoModelForSequenceClassification.from_pretrained(name, { dtype: 'fp32' });
      const expected = readPredictions(path.join(REPO_ROOT, 'models', name));
      assert.equal(expected.length, sentences.length);
      let worst = 0;
      let mismatches = 0;
      for (const [i, sentence] of sentences.entries()) {
        const inputs = await tokenizer(sentence, { truncation: true, max_length: 128 });
        const { logits } = (await model(inputs)) as { logits: { data: Float32Array } };
        const e = expected[i];
        assert.ok(e);
        const [a, b] = [logits.data[0] as number, logits.data[1] as number];
        worst = Math.max(worst, Math.abs(a - e.logits[0]), Math.abs(b - e.logits[1]));
        if ((b > a ? 1 : 0) !== e.pred) mismatches++;
      }
      await model.dispose();
      assert.equal(mismatches, 0, 'predictions that differ from PyTorch');
      assert.ok(worst <= 1e-4, `max |logit diff| ${worst}`);
    });
  }
});
