import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/convert.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { optimizeFile } from '../../src/optimize/optimize.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/paths.js';

describe('optimize: the bundled SST-2 models predict exactly as before', () => {
  for (const name of ['bert-sst2-mini', 'albert-sst2-mini']) {
    it(`${name}: all 872 dev sentences (padded batches of 32), same predictions, logits within 1e-4`, async (t) => {
      const dir = path.join(tempDir(), name);
      await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, name) }, outDir: dir, validate: false });
      const record = optimizeFile({ input: dir });
      const run = (modelFile?: string) => evaluate({ modelDir: dir, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'all' }, ...(modelFile ? { modelFile } : {}) });
      const plain = await run();
      const fused = await run(record.output.model);
      assert.equal(fused.predictions.length, 872);
      let worst = 0;
      plain.predictions.forEach((p, i) => {
        const q = fused.predictions[i];
        assert.equal(q?.pred, p.pred, `sentence ${p.index}`);
        p.logits.forEach((l, k) => (worst = Math.max(worst, Math.abs(l - (q?.logits[k] ?? NaN)))));
      });
      assert.ok(worst <= 1e-4, `max |logit difference| ${worst}`);
      t.diagnostic(`accuracy ${plain.metrics[0]?.value.toFixed(4)} -> ${fused.metrics[0]?.value.toFixed(4)}, max |logit difference| ${worst}`);
    });
  }
});
