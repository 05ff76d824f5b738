import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { DEPLOYMENT_DEFAULTS } from '../../src/compare/deployment-request.js';
import { UsageError } from '../../src/errors.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { readReport } from '../../src/report/read-report.js';
import { tempDir } from '../helpers/paths.js';

/** compare --deployment on the bundled bert, every measurement cut short through the library's options (the CLI keeps 2 s steps). */
function options(root: string): CompareOptions {
  const { load } = DEPLOYMENT_DEFAULTS;
  return {
    models: ['bert'], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 24 },
    batchSizes: [1], sequenceLengths: [32], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'deployment', cacheDir: path.join(root, 'cache'), checkTransformersJs: false,
    deployment: {
      realInputs: { sampleSize: 16, seed: 0 },
      coldStart: { runs: 1, bandwidthMbitPerSecond: 50 },
      load: { ...load, stepMs: 100, maxSteps: 2, p99BoundMs: 60_000 },
    },
  };
}

describe('albench compare --deployment', () => {
  const root = tempDir();

  it('measures real inputs, cold start and load after the grid, into every format; a second run measures them afresh, never from the cache', async () => {
    const first = await compare(options(root));
    assert.equal(first.failures, 0);
    const report = readReport(path.join(first.reportDir, 'report.json'));
    const sample = report.deployment?.realInputs?.samples[0];
    assert.deepEqual([sample?.model, sample?.rows.length, sample?.scoredRows], ['bert', 16, 24]);
    assert.ok(sample?.tokenCounts.every((n) => n >= 3 && n <= 128));
    assert.equal(report.deployment?.load?.inputs, 'real-inputs');
    for (const v of report.variants) {
      assert.ok(v.state === 'completed' && v.deployment !== undefined);
      assert.deepEqual(v.deployment.realInputs?.map((c) => [c.device, c.state]), [['cpu', 'measured']]);
      assert.deepEqual(v.deployment.coldStart?.map((c) => [c.device, c.state]), [['cpu', 'measured']]);
      assert.equal(v.deployment.load?.state, 'measured');
    }
    const md = fs.readFileSync(path.join(first.reportDir, 'report.md'), 'utf8');
    for (const title of ['### Cost per request: the fixed grid and the real inputs', '### Cold start', '### Under load (cpu)']) assert.ok(md.includes(title), title);
    assert.match(fs.readFileSync(path.join(first.reportDir, 'report.csv'), 'utf8'), /,real_inputs_mean_ms,/);

    const again = await compare({ ...options(root), reuseTimings: true });
    assert.equal(again.cacheMisses, 0, 'the grid timing and every other step come from the cache');
    const measuredAt = (r: typeof report) => r.variants.map((v) => (v.state === 'completed' && v.deployment?.coldStart?.[0]?.state === 'measured'
      ? v.deployment.coldStart[0].measuredAt : ''));
    const before = measuredAt(report);
    const after = measuredAt(again.report);
    assert.ok(after.every((t, i) => t > (before[i] ?? '')), `${before} then ${after}`);
  });

  it('refuses --load without the CPU among the devices, before any work', async () => {
    await assert.rejects(compare({ ...options(root), device: 'wasm', devices: ['wasm'], name: 'refused' }),
      (e: unknown) => e instanceof UsageError && /--load serves requests on the CPU .* add cpu to --device/.test(e.message));
    assert.equal(fs.existsSync(path.join(root, 'reports', 'refused')), false);
  });

  it('refuses an odd number of tuning rounds before any work: every setting must run early as often as late', async () => {
    await assert.rejects(compare({ ...options(root), deployment: { tune: { selectionRounds: 3, measurementRounds: 2 } }, name: 'odd' }),
      (e: unknown) => e instanceof UsageError && /^tune\.selectionRounds 3: give an even number of rounds, 2 or more/.test(e.message));
    assert.equal(fs.existsSync(path.join(root, 'reports', 'odd')), false);
  });
});
