import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { measureColdStarts } from '../../src/bench/deployment/cold-start.js';
import { measureLoad, poolShapes } from '../../src/bench/deployment/load.js';
import { poissonArrivals, rateLadder, searchLoad, throughputOf, type StepFigures } from '../../src/bench/deployment/load-search.js';
import { measureRealInputs, type RequestUnit } from '../../src/bench/deployment/real-inputs.js';
import { sessionCandidates } from '../../src/bench/deployment/session-candidates.js';
import { measureSessionRounds } from '../../src/bench/deployment/session-rounds.js';
import type { TokenRow } from '../../src/bench/deployment/requests.js';
import type { RuntimeSettings } from '../../src/bench/schema.js';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { seededRandom } from '../../src/util/random.js';
import { silentProgress } from '../../src/util/progress.js';
import { tempDir } from '../helpers/paths.js';

const CPU: RuntimeSettings = { executionProvider: 'cpu', intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };

/** A row of `n` tokens: [CLS], ids, [SEP], as the tokenizer lays a sentence out. */
const row = (n: number, offset = 0): TokenRow => ({
  inputIds: [101, ...Array.from({ length: n - 2 }, (_, i) => 1000 + ((i * 31 + offset) % 20000)), 102], tokenTypeIds: new Array<number>(n).fill(0),
});

describe('the load search (an injected latency model, no model run)', () => {
  it('stops at the first rate whose p99 is over the bound, and never offers a higher one', async () => {
    // p99 grows with the rate as a queue does near its capacity (about 400 requests/s here).
    const model = (rate: number): StepFigures => ({ requests: Math.round(rate * 2), p50Ms: 2, p99Ms: 4 + 3000 / Math.max(1, 400 - rate) });
    const offered: number[] = [];
    const rates = rateLadder(100, 1.25, 30);
    const steps = await searchLoad(rates, 50, async (rate) => { offered.push(rate); return model(rate); });
    assert.deepEqual(offered, [100, 125, 156, 195, 244, 305, 381]);
    assert.deepEqual(steps.map((s) => s.withinBound), [true, true, true, true, true, true, false]);
    assert.ok((steps[5]?.p99Ms ?? Infinity) <= 50 && (steps[6]?.p99Ms ?? 0) > 50);
    assert.deepEqual(throughputOf(steps), { throughput: 305, boundCrossed: true });
  });

  it('says when not even the first rate was within the bound, and when the bound was never crossed', async () => {
    const over = await searchLoad([10, 20], 50, async () => ({ requests: 5, p50Ms: 60, p99Ms: 90 }));
    assert.deepEqual(throughputOf(over), { throughput: null, boundCrossed: true });
    assert.equal(over.length, 1);
    const never = await searchLoad([10, 20, 40], 50, async () => ({ requests: 5, p50Ms: 1, p99Ms: 2 }));
    assert.deepEqual(throughputOf(never), { throughput: 40, boundCrossed: false });
  });

  it('draws seeded Poisson arrivals: the same for the same seed, at about the rate asked', () => {
    const a = poissonArrivals(500, 2000, seededRandom(7));
    assert.deepEqual(poissonArrivals(500, 2000, seededRandom(7)), a);
    assert.ok(a.length > 900 && a.length < 1100, `${a.length} arrivals in 2 s at 500/s`);
    assert.ok(a.every((t, i) => t < 2000 && (i === 0 || t > (a[i - 1] ?? 0))));
    assert.equal(poissonArrivals(0.01, 10, seededRandom(1)).length, 1, 'a step too short for its rate still serves one request');
  });

  it('compares one worker using every core with a worker per core (one shape on one core)', () => {
    assert.deepEqual(poolShapes(4), [{ workers: 1, threadsPerWorker: 4 }, { workers: 4, threadsPerWorker: 1 }]);
    assert.deepEqual(poolShapes(1), [{ workers: 1, threadsPerWorker: 1 }]);
  });
});

describe('the session settings compare --tune tries', () => {
  const session = (r: RuntimeSettings) => `${r.intraOpThreads}/${r.interOpThreads} ${r.graphOptimizationLevel} ${r.executionMode}`;

  it('on cpu: threads {1, cores} x graph {basic, all} x mode {sequential, parallel}, the timed settings first and each once', () => {
    const timed = { ...CPU, intraOpThreads: 4 };
    assert.deepEqual(sessionCandidates(timed, 4).map(session), [
      '4/1 all sequential', '1/1 basic sequential', '1/4 basic parallel', '1/1 all sequential', '1/4 all parallel',
      '4/1 basic sequential', '4/4 basic parallel', '4/4 all parallel',
    ]);
    assert.equal(sessionCandidates(CPU, 1).length, 4, 'one core: one thread count');
  });

  it('keeps --threads as the default when it is neither 1 nor the core count; on wasm only the threads vary', () => {
    assert.equal(session(sessionCandidates({ ...CPU, intraOpThreads: 3 }, 2)[0] ?? CPU), '3/1 all sequential');
    assert.equal(sessionCandidates({ ...CPU, intraOpThreads: 3 }, 2).length, 9);
    const wasm: RuntimeSettings = { ...CPU, executionProvider: 'wasm', intraOpThreads: 2 };
    assert.deepEqual(sessionCandidates(wasm, 2).map(session), ['2/1 all sequential', '1/1 all sequential']);
  });
});

describe('deployment figures on the bundled bert (tiny steps and samples)', () => {
  let modelFile = '';
  before(async () => {
    const out = path.join(tempDir(), 'bert');
    await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini') }, outDir: out, validate: false });
    modelFile = path.join(out, MODEL_PATH);
  });

  it('8-token rows time below 128-token rows', async () => {
    const unit = (n: number): RequestUnit => ({ label: `${n} tokens`, modelFile, runtime: CPU, inputs: { kind: 'rows', rows: [0, 1, 2, 3].map((k) => row(n, k)) } });
    const [short, long] = await measureRealInputs([unit(8), unit(128)], { warmupIterations: 3, stop: { minIterations: 20, minTimeMs: 0 }, rounds: 2 },
      silentProgress);
    assert.ok(short?.state === 'measured' && long?.state === 'measured', JSON.stringify([short, long]));
    assert.deepEqual([short.requests, short.roundMeansMs.length], [20, 2]);
    assert.ok(short.meanMs < long.meanMs, `8 tokens ${short.meanMs} ms, 128 tokens ${long.meanMs} ms`);
    assert.ok(short.p50Ms < long.p50Ms, `8 tokens p50 ${short.p50Ms} ms, 128 tokens ${long.p50Ms} ms`);
  });

  it('cold start: the parts are spawn, runtime import, read file, create session and first run, and they sum to the total', async () => {
    const inputs = { kind: 'grid' as const, batchSize: 1, sequenceLength: 16, tokenIdLimit: 1000 };
    const [start] = await measureColdStarts([{ label: 'bert', modelFile, runtime: CPU, inputs }], 3, silentProgress);
    assert.ok(start?.state === 'measured', JSON.stringify(start));
    assert.deepEqual(start.parts.map((p) => p.part), ['spawn', 'runtime-import', 'read-file', 'create-session', 'first-run']);
    assert.ok(start.parts.every((p) => p.ms > 0));
    assert.ok(Math.abs(start.parts.reduce((sum, p) => sum + p.ms, 0) - start.totalMs) < 1e-6);
    assert.equal(start.runTotalsMs.length, 3);
    assert.equal(start.totalMs, [...start.runTotalsMs].sort((a, b) => a - b)[1], 'the median run is reported');
    assert.ok(start.peakRssAfterFirstRunBytes > 20e6);
  });

  it('session rounds: every setting runs in its own process each round, the rounds returned raw and in round order', async () => {
    const base = { modelFile, batchSize: 1, sequenceLength: 16, tokenIdLimit: 1000 };
    const units = sessionCandidates(CPU, 2).slice(0, 3).map((runtime, i) => ({ ...base, label: `setting ${i}`, runtime }));
    const broken = { ...base, label: 'missing', modelFile: path.join(tempDir(), 'missing.onnx'), runtime: CPU };
    const lines: string[] = [];
    const progress = { ...silentProgress, step: (line: string) => { lines.push(line); } };
    const found = await measureSessionRounds([...units, broken], { warmupIterations: 1, stop: { minIterations: 5, minTimeMs: 0 }, rounds: 2 }, 'choosing', progress);
    for (const f of found.slice(0, 3)) {
      assert.ok('rounds' in f, JSON.stringify(f));
      assert.deepEqual(f.rounds.map((r) => r.latency.samples >= 5 && r.latency.p50Ms > 0), [true, true]);
    }
    const failed = found[3];
    assert.ok(failed !== undefined && 'error' in failed && /^round 1: /.test(failed.error), JSON.stringify(failed));
    assert.equal(lines.length, 7, 'the failed unit is not run again in round 2');
    assert.deepEqual(lines.map((l) => l.replace(/^\[\d+\/8\] choosing, /, '')).slice(0, 4),
      ['round 1/2: setting 0', 'round 1/2: setting 1', 'round 1/2: setting 2', 'round 1/2: missing']);
    assert.match(lines[4] ?? '', /round 2\/2: setting 2$/, 'round 2 runs the order reversed (the missing unit skipped)');
  });

  it('under load: every pool serves every rate it is offered, open-loop, in short steps', async () => {
    const inputs = { kind: 'rows' as const, rows: [row(8), row(12), row(20)] };
    const [load] = await measureLoad([{ label: 'bert', modelFile, inputs, rates: [20, 40] }],
      { pools: poolShapes(2), stepMs: 150, p99BoundMs: 60_000, seed: 0, rounds: 2, warmupRequests: 2 }, silentProgress);
    assert.ok(load?.state === 'measured', JSON.stringify(load));
    assert.deepEqual(load.pools.map((p) => [p.workers, p.threadsPerWorker, p.throughputRequestsPerSecond, p.boundCrossed]), [[1, 2, 40, false], [2, 1, 40, false]]);
    for (const p of load.pools) {
      assert.deepEqual(p.roundThroughputs, [40, 40]);
      assert.ok(p.steps.every((s) => s.requests >= 1 && s.p50Ms > 0 && s.p99Ms >= s.p50Ms && s.withinBound));
    }
  });
});
