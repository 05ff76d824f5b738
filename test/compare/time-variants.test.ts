import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { benchEnvironment } from '../../src/bench/env.js';
import { timingSettings } from '../../src/bench/runtime-settings.js';
import { StepCache } from '../../src/cache/cache.js';
import { COMPARE_DEFAULTS } from '../../src/compare/compare-options.js';
import { checkCompareRounds, timeVariants } from '../../src/compare/time-variants.js';
import type { PreparedVariant } from '../../src/compare/variant-record.js';
import { median } from '../../src/util/stats.js';
import { silentProgress } from '../../src/util/progress.js';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { UsageError } from '../../src/errors.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { readReport } from '../../src/report/read-report.js';
import type { CompletedVariant, FailedVariant, LatencyPoint, Report } from '../../src/report/model/types.js';
import { tempDir } from '../helpers/paths.js';

function options(root: string, extra: Partial<CompareOptions> = {}): CompareOptions {
  return {
    models: ['bert'], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
    batchSizes: [1], sequenceLengths: [8], device: 'cpu', threads: 1, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'timing', cacheDir: path.join(root, 'cache'), ...extra,
  };
}

const points = (r: Report): LatencyPoint[] => r.variants.flatMap((v) => (v.state === 'completed' ? [v.latency[0] as LatencyPoint] : []));

describe('compare: timings are measurements of now', () => {
  const root = tempDir();
  let first: Report;
  let second: Report;

  it('times every variant in 4 rounds (compare\'s default); p50 is the median of the rounds, spreadMs their highest minus lowest', async () => {
    const r = await compare(options(root));
    first = readReport(path.join(r.reportDir, 'report.json'));
    assert.equal(points(first).length, 2);
    for (const p of points(first)) {
      assert.equal(p.rounds, 4);
      assert.equal(p.roundP50sMs.length, 4);
      assert.equal(p.p50Ms, median(p.roundP50sMs));
      assert.equal(p.spreadMs, Math.max(...p.roundP50sMs) - Math.min(...p.roundP50sMs));
      assert.equal(p.reused, false);
      assert.ok(Date.parse(p.measuredAt) <= Date.parse(first.createdAt));
      assert.ok(p.loadAverage1m >= 0);
    }
    const md = fs.readFileSync(path.join(r.reportDir, 'report.md'), 'utf8');
    assert.match(md, /Latency: p50 is the median of 4 round\(s\) per variant, each in its own process; spread between rounds .*/);
    assert.match(md, /b1 s8: fp32 [\d.]+ ms, int8-dynamic [\d.]+ ms\. Measured afresh by this run at \d{4}-.*Z, 1-minute load average [\d.]+\./);
  });

  it('a re-run times again: new measurements, nothing reused', async () => {
    const r = await compare(options(root));
    second = r.report;
    for (const [a, b] of points(first).map((p, i) => [p, points(second)[i] as LatencyPoint] as const)) {
      assert.equal(b.reused, false);
      assert.ok(Date.parse(b.measuredAt) > Date.parse(a.measuredAt), 'measured after the first run');
      assert.notDeepEqual(b.roundP50sMs, a.roundP50sMs);
    }
    assert.equal(r.cacheMisses, 0, 'conversion, variants and evaluations still come from the cache');
  });

  it('--reuse-timings takes the first cached timing of the same file and settings (entries are never replaced) and marks it reused', async () => {
    const r = await compare(options(root, { reuseTimings: true }));
    const reused = points(r.report);
    assert.deepEqual(reused.map((p) => p.reused), [true, true]);
    assert.deepEqual(reused.map((p) => ({ ...p, reused: false })), points(first));
    assert.notDeepEqual(points(first), points(second));
    const html = fs.readFileSync(path.join(r.reportDir, 'report.html'), 'utf8');
    assert.match(html, /<p class="timing">Latency: .*Reused from the cache, measured at \d{4}-/);
    // Other timing settings are another measurement: timed afresh even with --reuse-timings.
    const other = await compare(options(root, { reuseTimings: true, sequenceLengths: [16], variants: ['fp32'] }));
    assert.equal((other.report.variants[0] as CompletedVariant).latency[0]?.reused, false);
  });

  it('a variant whose model file cannot be hashed fails alone; the others go on', async () => {
    const timing = timingSettings({ device: 'cpu', threads: 1 }, COMPARE_DEFAULTS);
    const plan = { timing, batchSizes: [1], sequenceLengths: [8], environment: await benchEnvironment(timing), reuseTimings: false };
    const dir = tempDir();
    const gone = {
      id: 'bert/int4', model: 'bert', variant: 'int4', state: 'prepared', files: { dir, modelFile: path.join(dir, 'onnx', 'model_q4.onnx') },
      params: {}, metrics: [], predictions: { rows: [], labels: [] }, gold: { rows: [], labels: [] }, variantKey: { v: 'gone' },
    } as unknown as PreparedVariant;
    const earlier: FailedVariant = { id: 'bert/fp16', model: 'bert', variant: 'fp16', state: 'failed', error: { code: 'UNSUPPORTED', message: 'no' } };
    const cache = new StepCache(path.join(dir, 'cache'), { warn: () => undefined });
    const timed = await timeVariants([gone, earlier], plan, cache, silentProgress);
    assert.deepEqual(timed.map((v) => v.state), ['failed', 'failed']);
    assert.match(timed[0]?.state === 'failed' ? timed[0].error.message : '', /model_q4\.onnx: cannot be read to time it/);
    assert.equal(timed[1], earlier);
  });

  it('fewer than 4 rounds, or an odd number, is refused before any work; reusing timings allows 2', async () => {
    const started = Date.now();
    const refused = (e: unknown) => e instanceof UsageError && /--rounds 2: .*at least 4 rounds/.test(e.message);
    await assert.rejects(compare(options(tempDir(), { rounds: 2 })), refused);
    assert.ok(Date.now() - started < 1000);
    const r = await compare(options(root, { rounds: 2, reuseTimings: true, variants: ['fp32'] }));
    assert.equal((r.report.variants[0] as CompletedVariant).latency[0]?.rounds, 2, 'no 2-round timing was cached, so it was timed in 2 rounds');
  });

  it('an odd --rounds is refused in one line, with or without --reuse-timings: the median of odd rounds follows the drift', () => {
    for (const [rounds, reuse] of [[3, false], [5, false], [1, true], [3, true]] as const) {
      assert.throws(() => checkCompareRounds(rounds, reuse), (e: unknown) => e instanceof UsageError
        && e.message === `--rounds ${rounds}: compare needs an even number of rounds, so that every variant runs early as often as late`
          + ` and a machine that warms or throttles during the run biases no variant's p50; give --rounds ${rounds + 1}`);
    }
    for (const [rounds, reuse] of [[4, false], [6, false], [2, true]] as const) assert.doesNotThrow(() => checkCompareRounds(rounds, reuse));
    assert.equal(COMPARE_DEFAULTS.rounds, 4);
  });
});
