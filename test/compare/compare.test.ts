import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { VARIANT_PRODUCERS, type VariantProducer } from '../../src/compare/variants.js';
import { convert } from '../../src/convert/convert.js';
import { UnsupportedError } from '../../src/errors.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { readReport } from '../../src/report/read-report.js';
import { tempDir } from '../helpers/paths.js';

function options(root: string, variants: CompareOptions['variants']): CompareOptions {
  return {
    models: ['bert', 'albert'], variants, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 40 },
    batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'test', cacheDir: path.join(root, 'cache'),
  };
}

/**
 * bert's int8-dynamic agreement with fp32 on the first 40 SST-2 dev examples, from predictions made
 * here: the model converted and its variant built outside compare (by the same producer, so the
 * recipe is compare's), each evaluated on its own, the predictions compared example by example.
 */
async function agreementOutsideCompare(): Promise<{ fp32Accuracy: number; agreement: number }> {
  const fp32Dir = path.join(tempDir(), 'bert');
  await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini') }, outDir: fp32Dir, validate: false });
  const int8Dir = tempDir();
  const context = { task: 'sst2', dataDir: BUNDLED_GLUE_DIR };
  const int8File = await (VARIANT_PRODUCERS['int8-dynamic'] as VariantProducer).produce(fp32Dir, int8Dir, context);
  const run = (modelDir: string, modelFile?: string) => evaluate({
    modelDir, ...(modelFile ? { modelFile } : {}), task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 40 },
  });
  const [fp32, int8] = [await run(fp32Dir), await run(int8Dir, path.join(int8Dir, int8File))];
  const same = fp32.predictions.filter((p, i) => p.pred === int8.predictions[i]?.pred).length;
  return { fp32Accuracy: fp32.metrics[0]?.value ?? Number.NaN, agreement: same / 40 };
}

describe('albench compare', () => {
  const root = tempDir();

  it('writes all four reports; a variant that cannot be built stays in the report with its error', async () => {
    // Fault injection: fp16's producer fails as a broken rewrite would; the others must still finish.
    const producers = VARIANT_PRODUCERS as Record<string, VariantProducer>;
    const real = producers['fp16'];
    producers['fp16'] = { runsModel: false, settings: () => ({ injected: 'failure' }), produce: () => { throw new UnsupportedError('fp16 rewrite failed (injected by the test)'); } };
    let r: Awaited<ReturnType<typeof compare>>;
    try {
      r = await compare(options(root, ['fp32', 'int8-dynamic', 'int8-static', 'fp16']));
    } finally {
      if (real) producers['fp16'] = real;
    }
    assert.deepEqual(fs.readdirSync(r.reportDir).sort(), ['report.csv', 'report.html', 'report.json', 'report.md']);
    const report = readReport(path.join(r.reportDir, 'report.json'));
    assert.deepEqual(report.variants.map((v) => `${v.id}:${v.state}`), [
      'bert/fp32:completed', 'bert/int8-dynamic:completed', 'bert/int8-static:completed', 'bert/fp16:failed',
      'albert/fp32:completed', 'albert/int8-dynamic:completed', 'albert/int8-static:completed', 'albert/fp16:failed',
    ]);
    const bertFp32 = report.variants[0];
    assert.ok(bertFp32?.state === 'completed');
    assert.equal(bertFp32.metrics[0]?.examples, 40);
    assert.equal(bertFp32.params.unique, 4_782_722);
    assert.ok(bertFp32.latency[0] && bertFp32.latency[0].p50Ms > 0 && bertFp32.latency[0].samples >= 3);
    const calibrated = report.variants[2];
    assert.ok(calibrated?.state === 'completed' && (calibrated.metrics[0]?.agreementWithFp32 ?? 0) >= 0.9);
    const failed = report.variants[3];
    assert.ok(failed?.state === 'failed' && failed.error.code === 'UNSUPPORTED' && /injected by the test/.test(failed.error.message));
    assert.equal(report.claims.length, 5);
    // Schema v2: the per-row predictions and gold labels that every paired test is recomputed from.
    assert.deepEqual([bertFp32.predictions?.rows.length, bertFp32.predictions?.labels?.length, report.gold?.rows.length], [40, 40, 40]);
    assert.equal(report.models[0]?.sourceDigest?.length, 64);
    assert.match(fs.readFileSync(path.join(r.reportDir, 'report.md'), 'utf8'), /bert\/int8-dynamic/);
    const int8 = report.variants[1];
    assert.ok(int8?.state === 'completed');
    // int8-dynamic agrees with fp32 on all 40 examples here (checked outside compare), so this catches a comparison
    // of misaligned or wrong predictions, not a constant 1; fp32's agreement with itself was 1 by construction.
    const independent = await agreementOutsideCompare();
    assert.equal(bertFp32.metrics[0]?.value, independent.fp32Accuracy);
    assert.equal(int8.metrics[0]?.agreementWithFp32, independent.agreement);
  });

  it('a second run with reuseTimings reuses every cached step; one new variant computes only that variant', async () => {
    const again = await compare({ ...options(root, ['fp32', 'int8-dynamic']), reuseTimings: true });
    assert.equal(again.cacheMisses, 0);
    const more = await compare({ ...options(root, ['fp32', 'int8-dynamic', 'int4']), reuseTimings: true });
    // Per model: the int4 file, its evaluation, its timing and its transformers.js check.
    assert.equal(more.cacheMisses, 2 * 4);
    assert.equal(more.report.variants.filter((v) => v.variant === 'int4' && v.state === 'completed').length, 2);
  });

  it('a model that cannot be converted fails its variants, the others still finish, and every format lists the failure', async () => {
    // A missing folder is refused before any work (preflight.test.ts); an empty one fails only when converted.
    const empty = path.join(root, 'empty-model');
    fs.mkdirSync(empty, { recursive: true });
    const r = await compare({ ...options(root, ['fp32']), models: ['bert', empty], name: 'partial' });
    assert.deepEqual(r.report.variants.map((v) => v.state), ['completed', 'failed']);
    assert.equal(r.failures, 1);
    const read = (file: string) => fs.readFileSync(path.join(r.reportDir, file), 'utf8');
    assert.match(read('report.md'), /### Failures \(1 of 2 variants\)\n\n- \*\*[^*]*empty-model\/fp32\*\*: BAD\\_/);
    assert.match(read('report.html'), /<section class="failures"><h2>Failures \(1 of 2 variants\)<\/h2><ul><li><strong>[^<]*empty-model\/fp32<\/strong>: BAD_/);
    assert.match(read('report.csv'), /empty-model\/fp32.*BAD_/);
  });
});
