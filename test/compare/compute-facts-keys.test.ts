import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { computeFacts, SETS_ONNXRUNTIME_DISPATCHES_ON, TEST_COMPUTE_FACTS_ENV } from '../../src/bench/compute-facts.js';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { VARIANT_PRODUCERS } from '../../src/compare/variants.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/paths.js';

function options(root: string): CompareOptions {
  return {
    models: ['bert'], variants: ['fp32'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
    batchSizes: [1], sequenceLengths: [8], device: 'cpu', threads: 1, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'facts', cacheDir: path.join(root, 'cache'), reuseTimings: true, rounds: 2,
  };
}

const entries = (root: string, step: string): number => fs.readdirSync(path.join(root, 'cache', step)).filter((f) => /^[0-9a-f]{64}$/.test(f)).length;

describe('cache keys name what computed the result', () => {
  afterEach(() => {
    delete process.env[TEST_COMPUTE_FACTS_ENV];
  });

  it('the facts are the runtime, its version, the provider, os.arch() and the instruction sets onnxruntime dispatches on', async () => {
    const facts = await computeFacts('cpu');
    assert.equal(facts.runtime, 'onnxruntime-node');
    assert.match(facts.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual([facts.executionProvider, facts.arch], ['cpu', os.arch()]);
    assert.ok(facts.instructionSets.every((s) => (SETS_ONNXRUNTIME_DISPATCHES_ON as readonly string[]).includes(s)));
    assert.equal((await computeFacts('wasm')).runtime, 'onnxruntime-web');
  });

  it('the variants made by running a model (calibration, the accuracy search) carry them; those albench writes byte for byte do not', () => {
    const running = Object.entries(VARIANT_PRODUCERS).filter(([, p]) => p.runsModel).map(([name]) => name).sort();
    assert.deepEqual(running, ['int8-auto', 'int8-static']);
  });

  it('another runtime version or CPU architecture misses evaluation and timing; conversion is shared', { timeout: 300_000 }, async () => {
    const root = tempDir();
    const cold = await compare(options(root));
    assert.equal(cold.cacheHits, 0);
    const same = await compare(options(root));
    assert.equal(same.cacheMisses, 0, 'on the same machine every step is found (the timing too: --reuse-timings)');
    for (const [n, replaced] of [[2, { arch: 'arm64' }], [3, { version: '0.0.1' }], [4, { instructionSets: ['asimddp', 'i8mm'] }]] as const) {
      process.env[TEST_COMPUTE_FACTS_ENV] = JSON.stringify(replaced);
      const other = await compare(options(root));
      assert.equal(other.cacheHits, 1, `${JSON.stringify(replaced)}: only the conversion is found`);
      assert.deepEqual([entries(root, 'convert'), entries(root, 'eval'), entries(root, 'bench')], [1, n, n], JSON.stringify(replaced));
    }
  });
});
