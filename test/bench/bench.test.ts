import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { bench } from '../../src/bench/bench.js';
import { runSchedule } from '../../src/bench/rounds.js';
import { median } from '../../src/util/stats.js';
import { BENCH_SCHEMA_VERSION, type BenchReport, type PointResult } from '../../src/bench/schema.js';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { CHECKPOINTS, tempDir } from '../helpers/paths.js';

type Completed = Extract<PointResult, { state: 'completed' }>;

/**
 * FLOPs of one forward pass, worked out by hand from the two fixtures' config.json (2 FLOPs per
 * multiply-add, matrix products only; B = batch, T = sequence length).
 * bert-tiny-cls: H 64, I 128, 2 layers, 2 labels, pooler. Per layer and token: q, k, v, output
 * 4 * 2*64*64 = 32768, feed-forward 2 * 2*64*128 = 32768; scores and P*V 2 * 2*T*64 = 256*T.
 * Two layers: 131072*B*T + 512*B*T^2; pooler 2*64*64 = 8192 and classifier 2*64*2 = 256 per sequence.
 * albert-tiny-groups: H 64, E 32, I 128, 4 layers x 2 inner = 8 executed, base head with pooler.
 * Eight layers: 524288*B*T + 2048*B*T^2; embedding projection 2*32*64 = 4096*B*T; pooler 8192*B.
 */
const HAND_FLOPS: Readonly<Record<string, (b: number, t: number) => number>> = {
  'bert-tiny-cls': (b, t) => 131_072 * b * t + 512 * b * t * t + 8_448 * b,
  'albert-tiny-groups': (b, t) => 528_384 * b * t + 2_048 * b * t * t + 8_192 * b,
};

function completed(p: PointResult | undefined): Completed {
  assert.ok(p !== undefined);
  assert.equal(p.state, 'completed', p.state === 'failed' ? p.error.message : '');
  return p as Completed;
}

describe('bench: one small grid over a BERT and an ALBERT fixture', () => {
  const work = tempDir();
  const bertDir = path.join(work, 'bert-tiny-cls');
  const albertDir = path.join(work, 'albert-tiny-groups');
  let report: BenchReport;

  before(async () => {
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'bert-tiny-cls') }, outDir: bertDir, validate: false });
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'albert-tiny-groups') }, outDir: albertDir, validate: false });
    report = await bench({ models: [{ kind: 'path', path: bertDir }, { kind: 'path', path: path.join(albertDir, MODEL_PATH) }], batchSizes: [1, 2], sequenceLengths: [8, 16], threads: 1, warmupIterations: 1, stop: { minIterations: 5, minTimeMs: 0 } });
  });

  it('records the schema version, the environment and the settings', () => {
    const r = JSON.parse(JSON.stringify(report)) as BenchReport;
    assert.deepEqual(r, report, 'the report survives JSON unchanged (no NaN, Infinity or undefined)');
    assert.equal(r.schemaVersion, BENCH_SCHEMA_VERSION);
    const env = r.environment;
    assert.ok(env.cpu.model.length > 0 && env.cpu.logicalCores >= env.cpu.physicalCores && env.cpu.physicalCores >= 1);
    assert.equal(typeof env.cpu.flags.avx2, 'boolean');
    assert.ok(env.memoryTotalBytes > 1e9);
    assert.equal(env.loadAverageAtStart.length, 3);
    assert.match(env.node, /^v\d+\./);
    assert.match(env.onnxruntime.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual({ ...env.onnxruntime, version: '' }, { version: '', executionProvider: 'cpu', intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
    assert.deepEqual(r.settings.stop, { minIterations: 5, minTimeMs: 0 });
    assert.deepEqual([r.settings.batchSizes, r.settings.sequenceLengths, r.settings.warmupIterations], [[1, 2], [8, 16], 1]);
  });

  it('describes each model: file, bytes on disk, parameters and the fusions onnxruntime ran', () => {
    const [bert, albert] = report.models;
    assert.ok(bert && albert);
    assert.equal(bert.label, 'bert-tiny-cls');
    assert.equal(albert.label, 'albert-tiny-groups', 'a model.onnx inside onnx/ takes its folder name');
    assert.equal(bert.modelBytesOnDisk, fs.statSync(path.join(bertDir, MODEL_PATH)).size);
    assert.equal(bert.params?.unique.total, 143_682);
    assert.equal(albert.task, 'base');
    assert.ok((albert.params?.executed.total ?? 0) > (albert.params?.unique.total ?? Infinity), 'ALBERT executes more parameters than it stores');
    for (const m of report.models) {
      const g = m.optimizedGraph;
      assert.ok(g !== null, `${m.label}: bench reads the optimised graph back by default`);
      assert.equal(Object.values(g.opCounts).reduce((a, b) => a + b, 0), g.nodes);
      assert.ok(Object.keys(g.fusedOps).length > 0, `${m.label}: onnxruntime fused nothing?`);
      for (const [op, n] of Object.entries(g.fusedOps)) assert.equal(g.opCounts[`com.microsoft:${op}`], n);
    }
  });

  it('gives every grid point latency statistics, memory, FLOPs and GFLOP/s with sane values', () => {
    for (const m of report.models) {
      assert.deepEqual(m.points.map((p) => [p.batchSize, p.sequenceLength]), [[1, 8], [1, 16], [2, 8], [2, 16]]);
      for (const point of m.points) {
        const p = completed(point);
        const l = p.latency;
        assert.ok(l.samples >= 5);
        assert.ok(l.minMs > 0 && l.minMs <= l.p50Ms && l.p50Ms <= l.p90Ms && l.p90Ms <= l.p99Ms && l.p99Ms <= l.maxMs, JSON.stringify(l));
        assert.ok(l.meanMs >= l.minMs && l.meanMs <= l.maxMs && l.stdevMs >= 0 && l.relativeMarginOfErrorPercent >= 0);
        assert.ok(l.p50Ms < 1000, 'a tiny model runs in well under a second');
        assert.ok(p.loadMs > 0);
        const mem = p.memory;
        assert.ok(mem.rssBeforeLoadBytes > 10e6, 'Node and onnxruntime alone take tens of MB');
        assert.ok(mem.peakRssAfterLoadBytes >= mem.rssBeforeLoadBytes && mem.peakRssAfterRunsBytes >= mem.peakRssAfterLoadBytes && mem.peakRssAfterRunsBytes >= mem.rssAfterRunsBytes);
        assert.ok(mem.peakRssAfterRunsBytes < 2e9);
        assert.deepEqual([mem.gpuBytes, mem.gpuSource], [null, null]);
        const expected = HAND_FLOPS[m.label]?.(p.batchSize, p.sequenceLength);
        assert.equal(p.flops?.total, expected, `${m.label} batch ${p.batchSize} seq ${p.sequenceLength}`);
        assert.ok(Math.abs((p.achievedGflopPerSecondAtP50 ?? 0) - (expected ?? 0) / 1e9 / (l.p50Ms / 1000)) < 1e-9);
        assert.ok(Math.abs(p.sequencesPerSecondAtP50 - p.batchSize * 1000 / l.p50Ms) < 1e-9);
      }
    }
  });

  it('a bare .onnx file without config.json still gets latency and memory; parameters and FLOPs are null', async () => {
    const bare = path.join(tempDir(), 'model.onnx');
    fs.copyFileSync(path.join(bertDir, MODEL_PATH), bare);
    const r = await bench({ models: [{ kind: 'path', path: bare }], batchSizes: [1], sequenceLengths: [8], threads: 1, warmupIterations: 0, stop: { minIterations: 3, minTimeMs: 0 } });
    const [m] = r.models;
    assert.deepEqual([m?.params, m?.task, m?.modelType], [null, null, null]);
    const p = completed(m?.points[0]);
    assert.deepEqual([p.flops, p.achievedGflopPerSecondAtP50], [null, null]);
    assert.ok(p.latency.samples >= 3);
  });

  it('--rounds 3: every model in its own child per round, order reversed between rounds; p50 is the median of the rounds', async () => {
    const before = Date.now();
    const r = await bench({
      models: [{ kind: 'path', path: bertDir }, { kind: 'path', path: albertDir, label: 'albert' }], batchSizes: [1], sequenceLengths: [8],
      threads: 1, warmupIterations: 0, stop: { minIterations: 3, minTimeMs: 0 }, rounds: 3,
    });
    assert.equal(r.settings.rounds, 3);
    assert.deepEqual(r.runOrder.map((s) => s.model), [0, 1, 1, 0, 0, 1], 'A B, B A, A B');
    assert.deepEqual(r.runOrder, runSchedule(2, 1, 3));
    assert.equal(r.models[1]?.label, 'albert');
    assert.ok(Date.parse(r.startedAt) >= before - 1000 && Date.parse(r.startedAt) <= Date.parse(r.createdAt));
    for (const m of r.models) {
      const p = completed(m.points[0]);
      assert.equal(p.roundP50sMs.length, 3);
      assert.equal(p.latency.p50Ms, median(p.roundP50sMs));
      assert.equal(p.spreadMs, Math.max(...p.roundP50sMs) - Math.min(...p.roundP50sMs));
    }
  });

  it('readOptimizedGraphs false (compare): no child reads the graph back on cpu; the models are timed all the same', async () => {
    const steps: string[] = [];
    const progress = { step: (m: string) => steps.push(m), done: () => undefined };
    const r = await bench({
      models: [{ kind: 'path', path: bertDir }], batchSizes: [1], sequenceLengths: [8], threads: 1, warmupIterations: 0,
      stop: { minIterations: 3, minTimeMs: 0 }, readOptimizedGraphs: false, progress,
    });
    assert.equal(r.models[0]?.optimizedGraph, null);
    assert.equal(steps.filter((m) => /optimised graph|loading/.test(m)).length, 0, steps.join('; '));
    assert.ok(completed(r.models[0]?.points[0]).latency.samples >= 3);
  });
});
