import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { timingSettings } from '../../src/bench/runtime-settings.js';
import { compare, COMPARE_DEFAULTS, type CompareResult } from '../../src/compare/compare.js';
import { timeInBrowser } from '../../src/compare/time-in-browser.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { validateReport } from '../../src/report/model/json-schema.js';
import { silentProgress } from '../../src/util/progress.js';
import { parseCsv } from '../helpers/csv.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { WASM_LACKS, wasmUnsupportedVariant } from '../helpers/wasm-unsupported.js';

const QUICK = { threads: 1, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 } } as const;

describe('compare --device cpu,browser-wasm,browser-webgpu: the browser beside onnxruntime-node in one report', () => {
  const root = tempDir();
  let result: CompareResult;

  before(async () => {
    result = await compare({
      models: ['bert'], variants: COMPARE_DEFAULTS.variants, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
      batchSizes: [1], sequenceLengths: [8], device: 'cpu', devices: ['cpu'], browserDevices: ['wasm', 'webgpu'], ...QUICK,
      constraints: {}, reportsDir: path.join(root, 'reports'), name: 'browser', cacheDir: path.join(root, 'cache'),
    });
  });

  it('times every variant in Chromium in the same number of rounds, and names the browser in env.devices', () => {
    const { report } = result;
    validateReport(JSON.parse(JSON.stringify(report)), 'report.json');
    assert.deepEqual(report.env.devices?.map((d) => d.device), ['cpu', 'browser-wasm', 'browser-webgpu']);
    assert.match(report.env.devices?.[1]?.runtime ?? '', /^onnxruntime-web \d+\.\d+\.\d+ in Chromium \d+/);
    for (const v of report.variants) {
      assert.equal(v.state, 'completed', JSON.stringify(v));
      if (v.state !== 'completed') continue;
      const [cpu, wasm, webgpu] = v.latencyByDevice ?? [];
      assert.deepEqual(cpu?.state === 'timed' ? cpu.latency : null, v.latency, 'the first device is the variant\'s own latency');
      assert.equal(wasm?.state, 'timed', JSON.stringify(wasm));
      if (wasm?.state !== 'timed') continue;
      assert.equal(wasm.memory, null, 'a page cannot see its memory');
      const [p] = wasm.latency;
      assert.deepEqual([p?.batchSize, p?.sequenceLength, p?.rounds, p?.roundP50sMs.length], [1, 8, COMPARE_DEFAULTS.rounds, COMPARE_DEFAULTS.rounds]);
      assert.ok(p !== undefined && p.p50Ms > 0 && p.p50Ms <= p.p99Ms && p.flops > 0, JSON.stringify(p));
      assert.ok(webgpu?.state === 'timed' || webgpu?.state === 'unavailable', JSON.stringify(webgpu));
    }
  });

  it('WebGPU without an adapter is a finding, not a failure: compare counts no failure', () => {
    assert.equal(result.failures, 0);
  });

  it('md and html show the browser column and say the browser was timed in rounds of its own; csv a row per device', () => {
    for (const name of ['report.md', 'report.html']) {
      const text = fs.readFileSync(path.join(result.reportDir, name), 'utf8');
      assert.match(text, /p50 \/ p99 \(ms\) b1 s8 browser-wasm/);
      assert.match(text, /then browser-wasm \(onnxruntime-web \S+ in Chromium \S+, 1 threads\)/);
    }
    const rows = parseCsv(fs.readFileSync(path.join(result.reportDir, 'report.csv'), 'utf8'));
    const header = rows[0] ?? [];
    const at = (row: readonly string[], column: string) => row[header.indexOf(column)];
    const body = rows.slice(1);
    assert.deepEqual(body.map((r) => at(r, 'device')), Array.from({ length: 3 }, () => ['cpu', 'browser-wasm', 'browser-webgpu']).flat());
    const browserRows = body.filter((r) => at(r, 'device') === 'browser-wasm');
    assert.ok(browserRows.every((r) => Number(at(r, 'p50_ms')) > 0 && at(r, 'peak_rss_after_runs_bytes') === ''));
  });
});

describe('a variant the browser\'s onnxruntime-web cannot load', () => {
  it('is marked unsupported on browser-wasm, naming the operator', async () => {
    const prepared = wasmUnsupportedVariant(tempDir());
    const timing = timingSettings({ devices: ['cpu'], rounds: 1, ...QUICK }, { ...QUICK, rounds: 1 });
    const timings = await timeInBrowser([prepared], { devices: ['wasm'], timing, batchSizes: [1], sequenceLengths: [8] }, silentProgress);
    const [entry] = timings.byVariant.get('nchwc/fp32') ?? [];
    assert.deepEqual(entry && { ...entry, message: '' }, { device: 'browser-wasm', state: 'unsupported', op: WASM_LACKS, message: '' });
  });
});

describe('compare --device with a browser device', () => {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const run = (device: string, env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath,
    [cli, 'compare', 'bert', '--device', device, '--reports', tempDir(), '--cache', tempDir(), '--limit', '4', '--quiet'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });

  it('refuses a browser device first, before any work: claims and memory need a Node device', () => {
    const r = run('browser-wasm,cpu');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /put cpu, cuda, wasm first \(e\.g\. --device cpu,browser-wasm\)/);
  });

  it('without Chromium, fails before any work and says how to get it', () => {
    const r = run('cpu,browser-wasm', { ...process.env, ALBENCH_CHROMIUM: path.join(tempDir(), 'no-chromium') });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--device browser-wasm needs playwright-core and Chromium: .*apt-get install chromium/);
    assert.doesNotMatch(r.stderr + r.stdout, /converting/);
  });
});
