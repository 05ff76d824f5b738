import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/convert.js';
import { ConfigError, OnnxError } from '../../src/errors.js';
import { evaluate, predictionsTsv } from '../../src/eval/evaluate.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { CHECKPOINTS, REPO_ROOT, TOKENIZER_FILES, tempDir } from '../helpers/paths.js';
import { readPredictions } from '../helpers/sst2.js';

/** A converted tiny fixture with a 1000-word slice of the BERT vocabulary, so text can run through it. */
async function tinyModel(name: string): Promise<string> {
  const out = path.join(tempDir(), name);
  await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, name) }, outDir: out });
  const vocab = fs.readFileSync(path.join(TOKENIZER_FILES, 'bert-base-uncased', 'vocab.txt'), 'utf8').split('\n').slice(0, 1000);
  fs.writeFileSync(path.join(out, 'vocab.txt'), `${vocab.join('\n')}\n`);
  fs.writeFileSync(path.join(out, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, tokenizer_class: 'BertTokenizer' }));
  return out;
}

describe('albench eval', () => {
  for (const name of ['bert-sst2-mini', 'albert-sst2-mini']) {
    it(`${name}: reproduces PyTorch's SST-2 dev predictions to the example, logits within 1e-4`, async () => {
      const out = path.join(tempDir(), name);
      const bundled = path.join(REPO_ROOT, 'models', name);
      await convert({ source: { kind: 'checkpoint', dir: bundled }, outDir: out });
      const r = await evaluate({ modelDir: out, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'all' }, batchSize: 32 });
      const expected = readPredictions(bundled);
      assert.equal(r.examples, 872);
      assert.equal(r.labels?.checked, 'names');
      let worst = 0;
      for (const [i, p] of r.predictions.entries()) {
        const e = expected[i];
        assert.ok(e);
        assert.equal(p.pred, e.pred, `example ${i}`);
        assert.equal(p.label, e.label, `gold label of example ${i}`);
        worst = Math.max(worst, ...p.logits.map((l, k) => Math.abs(l - (e.logits[k] as number))));
      }
      assert.ok(worst <= 1e-4, `max |logit diff| ${worst}`);
      const accuracy = expected.filter((e) => e.pred === e.label).length / expected.length;
      assert.equal(r.metrics[0]?.key, 'accuracy');
      assert.equal(r.metrics[0]?.value, accuracy);
      const ci = r.metrics[0]?.interval95;
      assert.ok(ci && ci.low < accuracy && accuracy < ci.high);
      assert.match(predictionsTsv(r).split('\n')[0] ?? '', /^index\tlabel\tpred\tlogit_0\tlogit_1$/);
    });
  }

  it('a tiny regression fixture on STS-B end to end, with --limit recorded', async () => {
    const model = await tinyModel('bert-tiny-regression');
    const r = await evaluate({ modelDir: model, task: 'stsb', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 40 }, batchSize: 8 });
    assert.equal(r.examples, 40);
    assert.deepEqual(r.subset.indices, Array.from({ length: 40 }, (_, i) => i));
    assert.deepEqual(r.metrics.map((m) => m.key), ['pearson', 'spearman', 'pearson_and_spearman']);
    // The gold scores are the first 40 of the dev file, read here on their own.
    const devScores = fs.readFileSync(path.join(BUNDLED_GLUE_DIR, 'STS-B', 'dev.tsv'), 'utf8').split('\n').slice(1, 41).map((l) => Number(l.split('\t').at(-1)));
    assert.deepEqual(r.predictions.map((p) => p.label), devScores);
    // Pearson's r of those scores and the model's outputs, by its textbook formula (scipy's value for the same call is
    // what test/eval/metrics.test.ts holds METRICS to); the combined score is the mean of the two.
    const x = r.predictions.map((p) => p.pred);
    const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mx, my] = [mean(x), mean(devScores)];
    const cov = x.reduce((a, xi, i) => a + (xi - mx) * ((devScores[i] as number) - my), 0);
    const sd = (v: readonly number[], m: number) => Math.sqrt(v.reduce((a, vi) => a + (vi - m) ** 2, 0));
    const [pearson, spearman, combined] = r.metrics.map((m) => m.value) as [number, number, number];
    assert.ok(Math.abs(pearson - cov / (sd(x, mx) * sd(devScores, my))) < 1e-12, `pearson ${pearson}`);
    assert.ok(Math.abs(combined - (pearson + spearman) / 2) < 1e-15);
    assert.ok(Math.abs(spearman) <= 1);
  });

  it('reports the rows scored as it goes', async () => {
    const model = await tinyModel('bert-tiny-cls');
    const steps: string[] = [];
    const progress = { step: (m: string) => steps.push(m), done: () => undefined };
    await evaluate({ modelDir: model, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 40 }, batchSize: 16, progress });
    assert.deepEqual(steps.filter((m) => /scor/.test(m)), ['SST-2: scoring 0/40', 'SST-2: scoring 16/40', 'SST-2: scoring 32/40', 'SST-2: scored 40/40']);
  });

  it('a seeded sample is stratified and reproducible', async () => {
    const model = await tinyModel('bert-tiny-cls');
    const a = await evaluate({ modelDir: model, task: 'mrpc', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'sample', size: 50, seed: 7 } });
    const b = await evaluate({ modelDir: model, task: 'mrpc', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'sample', size: 50, seed: 7 } });
    assert.equal(a.examples, 50);
    assert.deepEqual(a.subset.indices, b.subset.indices);
    assert.deepEqual(a.metrics.map((m) => m.key), ['accuracy', 'f1', 'acc_and_f1']);
  });

  it('labels that do not fit the task are refused, naming config.json', async () => {
    const model = await tinyModel('albert-tiny-cls');
    await assert.rejects(evaluate({ modelDir: model, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 4 } }), (e: unknown) => e instanceof ConfigError && /config\.json: the model has 3 labels/.test(e.message));
  });

  it('a checkpoint folder that was never converted gets a hint', async () => {
    await assert.rejects(evaluate({ modelDir: path.join(CHECKPOINTS, 'bert-tiny-cls'), task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'all' } }), (e: unknown) => e instanceof OnnxError && /albench convert/.test(e.message));
  });

  it('a base model (no logits) is refused with what to do', async () => {
    const out = path.join(tempDir(), 'base');
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'bert-tiny-cls') }, outDir: out, task: 'base' });
    fs.copyFileSync(path.join(TOKENIZER_FILES, 'bert-base-uncased', 'vocab.txt'), path.join(out, 'vocab.txt'));
    await assert.rejects(evaluate({ modelDir: out, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 2 } }), /no "logits" output .* --task sequence-classification/);
  });
});

describe('albench eval on broken ONNX files', () => {
  for (const [what, bytes] of [['not ONNX at all', Buffer.from('hello, not a model')], ['truncated', null]] as const) {
    it(`${what}: a typed error naming the file`, async () => {
      const model = await tinyModel('bert-tiny-cls');
      const file = path.join(model, 'onnx', 'model.onnx');
      fs.writeFileSync(file, bytes ?? fs.readFileSync(file).subarray(0, 5000));
      await assert.rejects(evaluate({ modelDir: model, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 2 } }), (e: unknown) => e instanceof OnnxError && e.message.startsWith(file) && /onnxruntime cannot load it/.test(e.message));
    });
  }
});
