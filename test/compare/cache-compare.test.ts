import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { TEST_CODE_DIGEST_ENV } from '../../src/cache/code-digest.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/paths.js';

function options(root: string, warnings: string[]): CompareOptions {
  return {
    models: ['bert'], variants: ['fp32'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 16 },
    batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'cache', cacheDir: path.join(root, 'cache'), warn: (line) => warnings.push(line),
  };
}

const entries = (root: string, step: string): string[] => fs.readdirSync(path.join(root, 'cache', step)).sort();

describe('compare and its cache', () => {
  const root = tempDir();
  after(() => {
    delete process.env[TEST_CODE_DIGEST_ENV];
  });

  it('editing albench\'s code makes the next compare recompute every step', async () => {
    const warnings: string[] = [];
    const cold = await compare(options(root, warnings));
    assert.equal(cold.cacheHits, 0);
    const before = { convert: entries(root, 'convert'), eval: entries(root, 'eval') };
    assert.deepEqual([before.convert.length, before.eval.length], [1, 1]);
    // The digest of the built code stands for the code; the tests replace it rather than edit dist/.
    process.env[TEST_CODE_DIGEST_ENV] = '0'.repeat(64);
    const edited = await compare(options(root, warnings));
    delete process.env[TEST_CODE_DIGEST_ENV];
    assert.equal(edited.cacheHits, 0);
    assert.equal(entries(root, 'convert').length, 2);
    assert.equal(entries(root, 'eval').length, 2);
    assert.deepEqual(warnings, []);
  });

  it('a truncated cached model.onnx is rebuilt with a warning naming the entry, and the report has the real size', async () => {
    const warnings: string[] = [];
    const first = await compare(options(root, warnings));
    const fp32 = first.report.variants[0];
    assert.ok(fp32?.state === 'completed');
    const model = path.join(root, 'cache', fp32.file);
    const entry = path.join(root, 'cache', fp32.file.split(path.sep).slice(0, 2).join(path.sep));
    fs.truncateSync(model, 1_000_000);
    const again = await compare(options(root, warnings));
    const rebuilt = again.report.variants[0];
    assert.ok(rebuilt?.state === 'completed');
    assert.equal(rebuilt.sizeBytes, fp32.sizeBytes);
    assert.equal(fs.statSync(model).size, fp32.sizeBytes);
    assert.deepEqual(warnings, [
      `warning: cache entry convert ${path.basename(entry)} (${entry}) is damaged: model/onnx/model.onnx has 1000000 bytes, ${fp32.sizeBytes} when stored; rebuilding it`,
    ]);
  });
});
