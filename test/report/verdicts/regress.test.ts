import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJunit } from '../../../src/report/render/junit.js';
import { DEFAULT_THRESHOLDS, hasRegression, regress, type RegressResult } from '../../../src/report/verdicts/regress.js';
import { renderRegressMarkdown } from '../../../src/report/render/regress-markdown.js';
import { UsageError } from '../../../src/errors.js';
import type { Report } from '../../../src/report/model/types.js';
import { editable, latencyPoint, samplePredictions, sampleReport, versionOneReport, type DeepMutable } from '../../helpers/sample-report.js';

type Edit = (r: DeepMutable<Report>) => void;
function completedAt(r: DeepMutable<Report>, i: number) {
  const v = r.variants[i];
  if (v?.state !== 'completed') throw new Error(`variant ${i} is not completed`);
  return v;
}
const against = (edit: Edit): RegressResult => {
  const current = editable(sampleReport());
  edit(current);
  return regress(sampleReport(), current as Report, DEFAULT_THRESHOLDS);
};
const failures = (r: RegressResult) => r.checks.filter((c) => c.status === 'fail').map((c) => `${c.variantId} ${c.check}`);

/** bert/fp32 at b1 with a given p50 and spread (rme follows from stdev and samples). */
const slowerBertFp32 = (p50Ms: number, stdevMs: number, samples = 1000): Edit => (r) => {
  const v = r.variants[0];
  if (v?.state === 'completed') v.latency[0] = latencyPoint(1, p50Ms, stdevMs, samples, v.latency[0]?.flops ?? 0);
};

describe('regress', () => {
  it('the same report: every check passes (failed-in-both is skipped)', () => {
    const r = against(() => undefined);
    assert.equal(hasRegression(r), false);
    assert.equal(r.checks.length, 6 * 4);
    assert.deepEqual(r.checks.filter((c) => c.status === 'skip').map((c) => c.variantId), Array(4).fill('albert/fp32-optimized'));
    assert.deepEqual(r.warnings, []);
  });

  it('an accuracy drop beyond the threshold, in points, with its paired test', () => {
    const r = against((c) => {
      const v = completedAt(c, 2);
      // 10 more rows wrong than the baseline's bert/int8-dynamic, none right: 78.78 -> 77.64, McNemar p = 2 * 0.5^10.
      v.predictions = samplePredictions(690, 17, 4);
      v.metrics[0]!.value = 677 / 872;
    });
    assert.deepEqual(failures(r), ['bert/int8-dynamic accuracy']);
    assert.match(r.checks.find((c) => c.status === 'fail')?.detail ?? '',
      /accuracy 78\.78 → 77\.64 \(-1\.15 points; significant: 10 of 872 predictions differ \(McNemar p = 0\.002\)\)/);
    assert.equal(hasRegression(regress(sampleReport(), sampleReport(), { ...DEFAULT_THRESHOLDS, maxAccuracyDropPoints: 0 })), false);
  });

  it('a drop beyond the threshold fails even when it is not significant, and says so', () => {
    const current = editable(sampleReport());
    const v = completedAt(current, 3);
    v.predictions = samplePredictions(703, 1, 0);
    v.metrics[0]!.value = 702 / 872;
    const r = regress(sampleReport(), current as Report, { ...DEFAULT_THRESHOLDS, maxAccuracyDropPoints: 0.1 });
    assert.deepEqual(failures(r), ['albert/fp32 accuracy']);
    assert.match(r.checks.find((c) => c.status === 'fail')?.detail ?? '', /-0\.11 points; not significant: 1 of 872 predictions differs \(McNemar p = 1\.00\)/);
  });

  it('a latency increase over the threshold whose rounds are all slower fails, naming the rank test and both runs\' round p50s', () => {
    const r = against(slowerBertFp32(3.6, 0.21)); // +16%, every current round above every baseline round: p = 1/20
    assert.deepEqual(failures(r), ['bert/fp32 latency']);
    assert.match(r.checks.find((c) => c.status === 'fail')?.detail ?? '',
      /^b1 s128: p50 3\.10 → 3\.60 ms \(\+16\.1%\); round p50s 3\.13, 3\.10, 3\.08 → 3\.64, 3\.60, 3\.57 ms, one-sided Mann-Whitney rank test p = 0\.05/);
  });

  it('the rank test, not the round spread, decides: between-run shifts against within-run spread', () => {
    /** bert/fp32 at b1 timed in rounds with these p50s (tight margins of error). */
    const rounds = (...roundP50sMs: number[]) => (r: DeepMutable<Report>) => {
      const v = completedAt(r, 0);
      const sorted = [...roundP50sMs].sort((a, b) => a - b);
      const p50Ms = sorted[Math.floor(sorted.length / 2)] as number;
      const spreadMs = (sorted.at(-1) as number) - (sorted[0] as number);
      v.latency[0] = { ...latencyPoint(1, p50Ms, 0.01, 1000, 1), roundP50sMs, rounds: roundP50sMs.length, spreadMs };
    };
    const check = (base: Edit, current: Edit) => {
      const [b, c] = [editable(sampleReport()), editable(sampleReport())];
      base(b);
      current(c);
      return regress(b as Report, c as Report, DEFAULT_THRESHOLDS).checks.find((x) => x.variantId === 'bert/fp32' && x.check === 'latency');
    };
    // +21% and beyond the larger spread (0.65 > 0.60), but one current round is faster than a baseline round: U = 8 of 9, p = 0.10.
    const shifted = check(rounds(3.1, 3.1, 3.7), rounds(3.5, 3.75, 3.75));
    assert.equal(shifted?.status, 'pass', shifted?.detail);
    assert.match(shifted?.detail ?? '', /one-sided Mann-Whitney rank test p = 0\.10, not significant/);
    // +16%, within the current run's spread of 0.8 ms, yet every current round is slower than every baseline round: p = 0.05.
    const slower = check(rounds(3.05, 3.1, 3.12), rounds(3.6, 3.62, 4.4));
    assert.equal(slower?.status, 'fail', slower?.detail);
    // With 2 rounds each no ordering reaches p <= 0.05, and the detail says so.
    const two = check(rounds(3.05, 3.1), rounds(3.6, 3.62));
    assert.equal(two?.status, 'pass');
    assert.match(two?.detail ?? '', /p = 0\.17, not significant; p ≤ 0\.05 is out of reach with 2 and 2 rounds/);
  });

  it('a size increase beyond the threshold', () => {
    const r = against((c) => {
      const v = c.variants[5];
      if (v?.state === 'completed') v.sizeBytes = 1_460_000; // +5.8%
    });
    assert.deepEqual(failures(r), ['albert/int8-dynamic size']);
  });

  it('a variant missing from the current report, or newly failed, fails; new variants are listed', () => {
    const r = against((c) => {
      c.variants = c.variants.filter((v) => v.id !== 'bert/fp32-optimized');
      c.variants[1] = { id: 'bert/int8-dynamic', model: 'bert', variant: 'int8-dynamic', state: 'failed', error: { code: 'BAD_ONNX', message: 'quantizer crashed' } };
      c.variants.push({ id: 'bert/int8-static', model: 'bert', variant: 'int8-static', state: 'failed', error: { code: 'UNSUPPORTED', message: 'no calibration data' } });
    });
    assert.deepEqual(failures(r), ['bert/fp32-optimized completed', 'bert/int8-dynamic completed']);
    assert.match(r.checks.find((c) => c.variantId === 'bert/int8-dynamic' && c.check === 'completed')?.detail ?? '', /newly failed: BAD_ONNX: quantizer crashed/);
    assert.deepEqual(r.newVariantIds, ['bert/int8-static']);
  });

  it('warns when the setup differs, and names an accepted difference', () => {
    const current = editable(sampleReport());
    current.env.cpuModel = 'AMD EPYC 7763';
    current.settings.subset = { kind: 'sample', size: 200, seed: 0 };
    const r = regress(sampleReport(), current as Report, DEFAULT_THRESHOLDS, { accept: ['subset'] });
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0] ?? '', /accepted difference of subset: baseline the full dev set, current a label-stratified sample of 200/);
    assert.match(r.warnings[1] ?? '', /Latency is compared across setups: baseline on Intel.*, current on AMD EPYC 7763/);
  });
});

describe('regress refuses incomparable reports', () => {
  const refusal = (edit: Edit, accept: Parameters<typeof regress>[3] = {}): string => {
    const current = editable(sampleReport());
    edit(current);
    try {
      regress(sampleReport(), current as Report, DEFAULT_THRESHOLDS, accept);
    } catch (e) {
      assert.ok(e instanceof UsageError, String(e));
      assert.equal(e.exitCode, 2);
      return e.message;
    }
    return assert.fail('the reports were compared');
  };

  it('names each difference: task, subset, grid, variant set, model set', () => {
    assert.match(refusal((c) => { c.settings.task = 'cola'; }), /^the reports are not comparable: task: baseline sst2, current cola; pass --accept task to compare/);
    assert.match(refusal((c) => { c.settings.subset = { kind: 'limit', limit: 200 }; }), /subset: baseline the full dev set, current the first 200 dev examples/);
    assert.match(refusal((c) => { c.settings.batchSizes = [1]; }), /grid: baseline b1 s128, b8 s128, current b1 s128/);
    assert.match(refusal((c) => { c.settings.variants = ['fp32']; }), /variant set: baseline fp32, fp32-optimized, int8-dynamic, current fp32/);
    assert.match(refusal((c) => { c.models[1]!.sourceDigest = 'c'.repeat(64); }), /models: albert is another checkpoint now .*; pass --accept models/);
    assert.match(refusal((c) => { c.settings.task = 'cola'; c.settings.batchSizes = [1]; }), /pass --accept task,grid to compare/);
  });

  it('compares across what it is told to accept', () => {
    const r = against(() => undefined);
    assert.equal(r.warnings.length, 0);
    const current = editable(sampleReport());
    current.settings.task = 'cola';
    current.settings.variants = ['fp32', 'int8-dynamic'];
    current.variants = current.variants.filter((v) => v.variant !== 'fp32-optimized');
    const accepted = regress(sampleReport(), current as Report, DEFAULT_THRESHOLDS, { accept: ['task', 'variants'] });
    assert.equal(hasRegression(accepted), false);
    assert.equal(accepted.checks.find((c) => c.variantId === 'bert/fp32' && c.check === 'accuracy')?.status, 'skip');
    assert.match(accepted.checks.find((c) => c.variantId === 'bert/fp32-optimized')?.detail ?? '', /not requested in the current run/);
  });

  it('matches models by source, not label: a relabelled model still matches', () => {
    const current = editable(sampleReport());
    current.models[0]!.id = 'my-bert';
    current.variants = current.variants.map((v) => (v.model === 'bert' ? { ...v, model: 'my-bert', id: `my-bert/${v.variant}` } : v));
    const r = regress(sampleReport(), current as Report, DEFAULT_THRESHOLDS);
    assert.equal(hasRegression(r), false);
    assert.deepEqual(r.newVariantIds, []);
    assert.equal(r.checks.find((c) => c.variantId === 'bert/int8-dynamic' && c.check === 'size')?.status, 'pass');
  });

  it('an empty baseline is refused, not passed', () => {
    const empty = editable(sampleReport());
    empty.variants = [];
    assert.throws(() => regress(empty as Report, sampleReport(), DEFAULT_THRESHOLDS), /the baseline report has no completed variant/);
  });
});

describe('regress on a version-1 baseline', () => {
  it('compares what it can, says paired statistics need version 2, and still gates on the thresholds', () => {
    const baseline = versionOneReport() as Report;
    const same = regress(baseline, sampleReport(), DEFAULT_THRESHOLDS);
    assert.equal(hasRegression(same), false);
    assert.match(same.warnings[0] ?? '', /^A version-1 report: paired statistics \(McNemar test, paired bootstrap\) need report schema version 2/);
    assert.match(renderRegressMarkdown(same), /^### albench regress: no regressions in 6 variants \(without paired statistics: a version-1 report\)/);
    assert.match(same.checks.find((c) => c.check === 'accuracy')?.detail ?? '', /no paired test: needs per-example predictions in both reports/);
    const current = editable(sampleReport());
    completedAt(current, 3).metrics[0]!.value = 0.79;
    assert.deepEqual(failures(regress(baseline, current as Report, DEFAULT_THRESHOLDS)), ['albert/fp32 accuracy']);
  });
});

describe('regress outputs', () => {
  const result = against(slowerBertFp32(3.6, 0.21));

  it('Markdown: headline, thresholds, one row per variant', () => {
    const md = renderRegressMarkdown(result);
    assert.match(md, /^### albench regress: 1 check failed in 1 of 6 variants\n/);
    assert.match(md, /Thresholds: accuracy drop ≤ 1 points \(each drop says whether the paired test finds it significant\), p50 latency increase ≤ 10% \(a larger one fails only when a one-sided Mann-Whitney rank test finds the current run's round p50s higher than the baseline's, p ≤ 0\.05\), size increase ≤ 5%\./);
    assert.match(md, /^\| bert\/fp32 \| ok: completed in both runs \| ok: accuracy 79\.13 → 79\.13 \(0\.00 points; not significant: 0 of 872 predictions differ \(McNemar p = 1\.00\)\) \| FAIL: b1 s128: p50 3\.10 → 3\.60 ms/m);
    assert.match(renderRegressMarkdown(against(() => undefined)), /^### albench regress: no regressions in 6 variants/);
  });

  it('JUnit: one testcase per variant per check, failures and skips counted', () => {
    const xml = renderJunit(result);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="albench regress" tests="24" failures="1" errors="0" skipped="4">/);
    assert.equal(xml.match(/<testcase /g)?.length, 24);
    assert.match(xml, /<testcase classname="bert\/fp32" name="latency" time="0">\n {6}<failure message="b1 s128: p50 3\.10 → 3\.60 ms/);
    assert.match(xml, /<property name="max-latency-increase-percent" value="10"\/>/);
  });
});
