import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { bench, failedPoints } from '../../src/bench/bench.js';
import { formatBenchReport } from '../../src/bench/format.js';
import { onnxruntimeWebVersion } from '../../src/bench/providers.js';
import { checkTimingOptions, parseDeviceList } from '../../src/bench/runtime-settings.js';
import type { BenchReport } from '../../src/bench/schema.js';
import { unsupportedOp } from '../../src/bench/wasm-support.js';
import { convert } from '../../src/convert/convert.js';
import { UsageError } from '../../src/errors.js';
import { CHECKPOINTS, tempDir } from '../helpers/paths.js';
import { WASM_LACKS, writeWasmUnsupportedModel } from '../helpers/wasm-unsupported.js';

const QUICK = { batchSizes: [1], sequenceLengths: [8], threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 } } as const;

describe('bench --device cpu,wasm: onnxruntime-web beside onnxruntime-node, in the same rounds', () => {
  let report: BenchReport;

  before(async () => {
    const dir = path.join(tempDir(), 'bert-tiny-cls');
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'bert-tiny-cls') }, outDir: dir, validate: false });
    report = await bench({ models: [{ kind: 'path', path: dir }], devices: ['cpu', 'wasm'], rounds: 2, ...QUICK });
  });

  it('times the model on each device, device-major, with each device\'s settings and onnxruntime-web\'s version', () => {
    assert.deepEqual(report.models.map((m) => [m.label, m.device, m.runtime?.intraOpThreads]), [['bert-tiny-cls', 'cpu', 1], ['bert-tiny-cls', 'wasm', 1]]);
    assert.equal(report.environment.onnxruntimeWeb?.version, onnxruntimeWebVersion());
    assert.match(onnxruntimeWebVersion(), /^\d+\.\d+\.\d+/);
    for (const m of report.models) {
      const [p] = m.points;
      assert.equal(p?.state, 'completed', p?.state === 'failed' ? p.error.message : '');
      if (p?.state !== 'completed') continue;
      assert.ok(p.latency.p50Ms > 0 && p.latency.samples >= 3);
      assert.ok(p.memory.peakRssAfterRunsBytes >= p.memory.peakRssAfterLoadBytes && p.memory.peakRssAfterLoadBytes > 0, 'the child\'s VmHWM');
      assert.equal(p.roundP50sMs.length, 2);
    }
    assert.ok(Object.keys(report.models[1]?.optimizedGraph?.fusedOps ?? {}).length > 0, 'wasm reports the graph as the CPU optimiser leaves it');
    assert.deepEqual(report.models[1]?.optimizedGraph, report.models[0]?.optimizedGraph, 'the same graph as cpu\'s, read once');
  });

  it('interleaves the devices in every round: (device, model) units in the reversing order', () => {
    assert.deepEqual(report.runOrder.map((s) => s.model), [0, 1, 1, 0]);
  });

  it('the table names the device of each row and onnxruntime-web in the environment', () => {
    const text = formatBenchReport(report);
    assert.match(text, /bert-tiny-cls \[cpu\]/);
    assert.match(text, /bert-tiny-cls \[wasm\]/);
    assert.match(text, /onnxruntime-web \d+\.\d+\.\d+ for wasm/);
  });
});

describe('a graph with an operator onnxruntime-web lacks', () => {
  it('is marked unsupported on wasm, naming the operator, while CPU times it; no point fails', async () => {
    const file = writeWasmUnsupportedModel(tempDir());
    const report = await bench({ models: [{ kind: 'path', path: file }], devices: ['cpu', 'wasm'], ...QUICK });
    const [cpu, wasm] = report.models;
    assert.equal(cpu?.points[0]?.state, 'completed');
    const p = wasm?.points[0];
    assert.equal(p?.state, 'unsupported');
    if (p?.state === 'unsupported') {
      assert.equal(p.device, 'wasm');
      assert.equal(p.op, WASM_LACKS);
    }
    assert.equal(failedPoints(report), 0);
    assert.deepEqual(report.runOrder.map((s) => s.model), [0], 'an unsupported unit is not scheduled');
    assert.match(formatBenchReport(report), /unsupported on wasm: no com\.microsoft\.nchwc:ReorderInput kernel/);
  });
});

describe('unsupportedOp', () => {
  it('reads the operator from onnxruntime\'s missing-kernel and unregistered-op errors, and nothing from others', () => {
    assert.equal(unsupportedOp("Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: Could not find an implementation for Rfft(1) node with name '/Rfft'"), 'Rfft');
    assert.equal(unsupportedOp('ERROR_MESSAGE: Fatal error: com.microsoft.nchwc:ReorderInput(-1) is not a registered function/op'), WASM_LACKS);
    assert.equal(unsupportedOp('Load model from x.onnx failed: Protobuf parsing failed.'), null);
  });
});

describe('--device lists', () => {
  it('parses a comma-separated list and rejects unknown or repeated devices', () => {
    assert.deepEqual(parseDeviceList('cpu, wasm'), ['cpu', 'wasm']);
    assert.throws(() => parseDeviceList('cpu,webgpu'), (e: unknown) => e instanceof UsageError && /unknown webgpu/.test(e.message));
    const defaults = { warmupIterations: 0, stop: { minIterations: 1, minTimeMs: 0 }, rounds: 1 };
    assert.throws(() => checkTimingOptions({ devices: ['wasm', 'wasm'] }, defaults), /wasm is given twice/);
  });
});
