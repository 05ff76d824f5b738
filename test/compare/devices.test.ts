import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { benchEnvironment } from '../../src/bench/env.js';
import { timingSettings } from '../../src/bench/runtime-settings.js';
import { assembleReport } from '../../src/compare/assemble-report.js';
import { StepCache } from '../../src/cache/cache.js';
import { compare, COMPARE_DEFAULTS, type CompareResult } from '../../src/compare/compare.js';
import { timeVariants } from '../../src/compare/time-variants.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { validateReport } from '../../src/report/model/json-schema.js';
import { parseCsv } from '../helpers/csv.js';
import { tempDir } from '../helpers/paths.js';
import { WASM_LACKS, wasmUnsupportedVariant } from '../helpers/wasm-unsupported.js';
import { silentProgress } from '../../src/util/progress.js';
import { sha256FileSync } from '../../src/util/sha256.js';

const QUICK = { threads: 1, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 } } as const;

describe('compare --device cpu,wasm over the default variants', () => {
  const root = tempDir();
  let result: CompareResult;

  before(async () => {
    result = await compare({
      models: ['bert'], variants: COMPARE_DEFAULTS.variants, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
      batchSizes: [1], sequenceLengths: [8], device: 'cpu', devices: ['cpu', 'wasm'], ...QUICK,
      constraints: {}, reportsDir: path.join(root, 'reports'), name: 'devices', cacheDir: path.join(root, 'cache'),
    });
  });

  it('records both devices and times every variant on each in the same rounds; latency and verdicts are the first device\'s', () => {
    const { report } = result;
    assert.equal(result.failures, 0);
    validateReport(JSON.parse(JSON.stringify(report)), 'report.json');
    assert.deepEqual(report.env.devices?.map((d) => [d.device, d.threads]), [['cpu', 1], ['wasm', 1]]);
    assert.match(report.env.devices?.[1]?.runtime ?? '', /^onnxruntime-web \d+\.\d+\.\d+/);
    for (const v of report.variants) {
      assert.equal(v.state, 'completed');
      if (v.state !== 'completed') continue;
      assert.deepEqual(v.latencyByDevice?.map((d) => [d.device, d.state]), [['cpu', 'timed'], ['wasm', 'timed']]);
      const [cpu, wasm] = v.latencyByDevice ?? [];
      assert.deepEqual(cpu?.state === 'timed' ? cpu.latency : null, v.latency);
      assert.equal(v.fileSha256, sha256FileSync(path.join(root, 'cache', v.file)), 'the digest recorded is the timed file\'s');
      assert.equal(wasm?.state === 'timed' ? wasm.latency[0]?.rounds : 0, COMPARE_DEFAULTS.rounds);
      assert.equal(wasm?.state === 'timed' ? wasm.latency[0]?.measuredAt : '', v.latency[0]?.measuredAt, 'one bench run timed both devices');
    }
  });

  it('transformers.js loads every default variant (by dtype, the fused graph by file name) and agrees with albench on the checked rows', () => {
    const checks = result.report.variants.map((v) => (v.state === 'completed' ? [v.variant, v.transformersJs] : [v.variant, undefined]));
    assert.deepEqual(checks, [
      ['fp32', { state: 'agrees', dtype: 'fp32', file: 'model.onnx', agreement: 8, examples: 8 }],
      ['fp32-optimized', { state: 'agrees', file: 'model_optimized.onnx', agreement: 8, examples: 8 }],
      ['int8-dynamic', { state: 'agrees', dtype: 'q8', file: 'model_quantized.onnx', agreement: 8, examples: 8 }],
    ]);
  });

  it('md and html show a latency column per device and the transformers.js column; csv a row per device', () => {
    for (const name of ['report.md', 'report.html']) {
      const text = fs.readFileSync(path.join(result.reportDir, name), 'utf8');
      assert.match(text, /p50 \/ p99 \(ms\) b1 s8 cpu/);
      assert.match(text, /p50 \/ p99 \(ms\) b1 s8 wasm/);
      assert.match(text, /transformers\.js/);
      assert.match(text, /agrees \(dtype q8\): 8\/8/);
      assert.match(text, /claims and the recommendation use the first, cpu/);
    }
    const rows = parseCsv(fs.readFileSync(path.join(result.reportDir, 'report.csv'), 'utf8'));
    const header = rows[0] ?? [];
    const at = (row: readonly string[], column: string) => row[header.indexOf(column)];
    const body = rows.slice(1);
    assert.equal(body.length, 6);
    assert.deepEqual(body.map((r) => at(r, 'device')), ['cpu', 'wasm', 'cpu', 'wasm', 'cpu', 'wasm']);
    assert.deepEqual([...new Set(body.map((r) => at(r, 'transformers_js_state')))], ['agrees']);
  });
});

describe('a variant whose graph onnxruntime-web cannot load', () => {
  it('is timed on CPU and marked unsupported on wasm, naming the operator: the variant completes, the report validates', async () => {
    const root = tempDir();
    const prepared = wasmUnsupportedVariant(root);
    const timing = timingSettings({ devices: ['cpu', 'wasm'], rounds: 1, ...QUICK }, { ...QUICK, rounds: 1 });
    const environment = await benchEnvironment(timing);
    const plan = { timing, batchSizes: [1], sequenceLengths: [8], environment, reuseTimings: false };
    const [timed] = await timeVariants([prepared], plan, new StepCache(path.join(root, 'cache')), silentProgress);
    assert.equal(timed?.state, 'timed', timed?.state === 'failed' ? timed.error.message : '');
    if (timed?.state !== 'timed') return;
    assert.equal(timed.timing.latency.length, 1, 'CPU, the first device, timed it');
    const wasm = timed.latencyByDevice?.[1];
    assert.deepEqual(wasm && { ...wasm, message: '' }, { device: 'wasm', state: 'unsupported', op: WASM_LACKS, message: '' });
    const settings = {
      task: 'sst2', subset: { kind: 'all' } as const, batchSizes: [1], sequenceLengths: [8], variants: ['fp32' as const], warmupIterations: 0, constraints: {},
    };
    const model = {
      id: 'nchwc', source: 'folder: nchwc', modelType: 'bert' as const, hiddenSize: 1, embeddingSize: 1, layers: 1, groups: 1, params: { unique: 0, executed: 0 },
    };
    const report = assembleReport({ environment, runtimes: timing.runtimes, models: [model], variants: [timed], cacheDir: root, settings });
    assert.equal(report.variants.filter((v) => v.state === 'failed').length, 0, 'compare counts failed variants for its exit code: none');
    validateReport(JSON.parse(JSON.stringify(report)), 'report.json');
  });
});
