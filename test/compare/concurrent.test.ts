import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { readReport } from '../../src/report/read-report.js';
import { tempDir } from '../helpers/paths.js';

describe('albench compare: two runs at once', () => {
  it('on one cache and one report folder, both finish and leave a readable report and an intact cache', { timeout: 600_000 }, async () => {
    const root = tempDir();
    const options: CompareOptions = {
      models: ['bert'], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
      batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 2, minTimeMs: 0 },
      constraints: {}, reportsDir: path.join(root, 'reports'), name: 'shared', cacheDir: path.join(root, 'cache'),
    };
    const [a, b] = await Promise.all([compare(options), compare(options)]);
    assert.equal(a.reportDir, b.reportDir);
    assert.deepEqual(fs.readdirSync(a.reportDir).sort(), ['report.csv', 'report.html', 'report.json', 'report.md']);
    const report = readReport(path.join(a.reportDir, 'report.json'));
    assert.deepEqual(report.variants.map((v) => `${v.id}:${v.state}`), ['bert/fp32:completed', 'bert/int8-dynamic:completed']);
    assert.deepEqual(fs.readdirSync(path.join(root, 'reports')), ['shared'], 'no temporary report folder left');
    for (const step of fs.readdirSync(path.join(root, 'cache'))) {
      assert.deepEqual(fs.readdirSync(path.join(root, 'cache', step)).filter((e) => e.startsWith('.')), [], `no temporary left in ${step}`);
    }
    const third = await compare(options);
    assert.equal(third.cacheMisses, 0, 'the cache both runs filled answers a third run whole');
  });
});
