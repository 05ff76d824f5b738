import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { browserBench } from '../../src/browser/browser-bench.js';
import type { BrowserBenchReport } from '../../src/browser/schema.js';
import { FIXTURES, REPO_ROOT } from '../helpers/paths.js';

/** bert-tiny-cls as torch exported it (test/fixtures/PROVENANCE.md): 600 kB, milliseconds per run. */
const TINY_MODEL = path.join(FIXTURES, 'torch-onnx', 'bert-tiny-cls.onnx');
const SHORT = { batchSizes: [1, 2], sequenceLengths: [32], warmupIterations: 2, stop: { minIterations: 5, minTimeMs: 0 } } as const;

function onlyModel(report: BrowserBenchReport) {
  assert.equal(report.models.length, 1);
  return report.models[0]!;
}

describe('browser-bench: onnxruntime-web inside headless Chromium, the page served by albench', () => {
  it('times the tiny model on WebAssembly at every grid point, with figures that hold together', async () => {
    const report = await browserBench({ models: [{ path: TINY_MODEL, label: 'tiny' }], device: 'wasm', ...SHORT });
    assert.equal(report.kind, 'albench-browser-bench');
    assert.match(report.browser.userAgent, /HeadlessChrome/);
    assert.match(report.browser.onnxruntimeWebVersion, /^\d+\.\d+\.\d+/);
    assert.equal(report.browser.crossOriginIsolated, true, 'the page must be cross-origin isolated, or WebAssembly runs one thread');
    const m = onlyModel(report);
    assert.equal(m.state, 'measured', JSON.stringify(m));
    if (m.state !== 'measured') return;
    assert.ok(m.loadMs > 0);
    assert.ok(m.wasmThreads >= 1);
    assert.deepEqual(m.points.map((p) => [p.batchSize, p.sequenceLength]), [[1, 32], [2, 32]]);
    for (const p of m.points) {
      assert.equal(p.state, 'completed', JSON.stringify(p));
      if (p.state !== 'completed') continue;
      const l = p.latency;
      assert.ok(l.samples >= SHORT.stop.minIterations, `${l.samples} samples`);
      assert.ok(l.minMs > 0 && l.minMs <= l.p50Ms && l.p50Ms <= l.p90Ms && l.p90Ms <= l.p99Ms && l.p99Ms <= l.maxMs, JSON.stringify(l));
      assert.ok(l.p50Ms < 5_000, `p50 ${l.p50Ms} ms for a 600 kB model`);
    }
  });

  it('WebGPU is measured on a GPU adapter; a software one (SwiftShader) or none is "not available here", and why', async () => {
    const report = await browserBench({ models: [{ path: TINY_MODEL }], device: 'webgpu', ...SHORT, batchSizes: [1] });
    const m = onlyModel(report);
    const adapter = report.browser.webgpuAdapter;
    if (report.browser.webgpuUnavailable === null) {
      assert.equal(m.state, 'measured', JSON.stringify(m));
      assert.doesNotMatch(adapter ?? '', /swiftshader/, 'a software adapter is not a GPU');
    } else {
      assert.deepEqual(m.state === 'unavailable' && m.reason, report.browser.webgpuUnavailable);
      if (/swiftshader/.test(adapter ?? '')) assert.match(report.browser.webgpuUnavailable, /only a software adapter \(.*swiftshader.*\), which emulates a GPU/);
    }
  });

  it('--allow-software-webgpu times the model on whatever adapter there is (Debian\'s Chromium brings SwiftShader), naming it', async () => {
    const report = await browserBench({ models: [{ path: TINY_MODEL }], device: 'webgpu', ...SHORT, batchSizes: [1], allowSoftwareWebgpu: true });
    assert.notEqual(report.browser.webgpuAdapter, null, `Chromium offered no WebGPU adapter at all: ${report.browser.webgpuUnavailable}`);
    assert.equal(report.browser.webgpuUnavailable, null);
    const m = onlyModel(report);
    assert.equal(m.state, 'measured', JSON.stringify(m));
    assert.equal(m.state === 'measured' && m.points[0]?.state, 'completed');
  });

  it('--rounds: every round in a fresh page, p50 the median of the rounds\' p50s', async () => {
    const report = await browserBench({ models: [{ path: TINY_MODEL, label: 'a' }, { path: TINY_MODEL, label: 'b' }], device: 'wasm', ...SHORT,
      batchSizes: [1], rounds: 3 });
    assert.equal(report.settings.rounds, 3);
    for (const m of report.models) {
      const p = m.state === 'measured' ? m.points[0] : undefined;
      assert.equal(p?.state, 'completed', JSON.stringify(m));
      if (p?.state !== 'completed') continue;
      assert.equal(p.roundP50sMs.length, 3);
      assert.equal(p.latency.p50Ms, [...p.roundP50sMs].sort((x, y) => x - y)[1]);
      assert.equal(p.spreadMs, Math.max(...p.roundP50sMs) - Math.min(...p.roundP50sMs));
    }
  });

  it('the command prints the table, and "not available here" for WebGPU without exiting non-zero', () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const quick = ['--seq', '16', '--warmup', '1', '--iterations', '3'];
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'browser-bench', TINY_MODEL, ...quick, ...args],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const wasm = run();
    assert.equal(wasm.status, 0, wasm.stderr);
    assert.match(wasm.stdout, /onnxruntime-web \S+ \(wasm\) in Chromium/);
    assert.match(wasm.stdout, /torch-onnx +1 +16 +\d/);
    const webgpu = run('--device', 'webgpu', '--json');
    assert.equal(webgpu.status, 0, webgpu.stderr);
    const report = JSON.parse(webgpu.stdout) as BrowserBenchReport;
    assert.ok(['measured', 'unavailable'].includes(onlyModel(report).state));
  });
});
