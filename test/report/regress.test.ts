import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJunit } from '../../src/report/junit.js';
import { DEFAULT_THRESHOLDS, hasRegression, regress, type RegressResult } from '../../src/report/regress.js';
import { renderRegressMarkdown } from '../../src/report/regress-markdown.js';
import type { Report } from '../../src/report/types.js';
import { editable, latencyPoint, sampleReport, type DeepMutable } from '../helpers/sample-report.js';

type Edit = (r: DeepMutable<Report>) => void;
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

  it('an accuracy drop beyond the threshold, in points', () => {
    const r = against((c) => {
      const v = c.variants[2];
      if (v?.state === 'completed') v.metrics[0]!.value = 0.7765; // 78.78 -> 77.65: 1.13 points
    });
    assert.deepEqual(failures(r), ['bert/int8-dynamic accuracy']);
    assert.match(r.checks.find((c) => c.status === 'fail')?.detail ?? '', /accuracy 78\.78 → 77\.65 \(-1\.13 points\)/);
    assert.equal(hasRegression(regress(sampleReport(), sampleReport(), { ...DEFAULT_THRESHOLDS, maxAccuracyDropPoints: 0 })), false);
  });

  it('a latency increase over the threshold and beyond both runs\' noise fails', () => {
    const r = against(slowerBertFp32(3.6, 0.21)); // +16%, margins ~0.02 ms each
    assert.deepEqual(failures(r), ['bert/fp32 latency']);
    assert.match(r.checks.find((c) => c.status === 'fail')?.detail ?? '', /b1 s128: p50 3\.10 → 3\.60 ms \(\+16\.1%, noise ±0\.0\d\d ms\)/);
  });

  it('the same increase within noise passes, and says so', () => {
    const r = against(slowerBertFp32(3.6, 1.5, 20)); // a short, noisy run: its margin (~0.66 ms) exceeds the 0.5 ms rise
    assert.deepEqual(failures(r), []);
    assert.match(r.checks.find((c) => c.variantId === 'bert/fp32' && c.check === 'latency')?.detail ?? '', /\+16\.1%, noise ±0\.\d+ ms, within noise/);
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

  it('warns when the setup differs', () => {
    const r = against((c) => {
      c.env.cpuModel = 'AMD EPYC 7763';
      c.settings.subset = { kind: 'sample', size: 200, seed: 0 };
    });
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0] ?? '', /Latency is compared across setups: baseline on Intel.*, current on AMD EPYC 7763/);
    assert.match(r.warnings[1] ?? '', /Accuracy was measured on the full dev set in the baseline and on a label-stratified sample of 200/);
  });
});

describe('regress outputs', () => {
  const result = against(slowerBertFp32(3.6, 0.21));

  it('Markdown: headline, thresholds, one row per variant', () => {
    const md = renderRegressMarkdown(result);
    assert.match(md, /^### albench regress: 1 check failed in 1 of 6 variants\n/);
    assert.match(md, /Thresholds: accuracy drop ≤ 1 points, p50 latency increase ≤ 10% \(and beyond the runs' combined margin of error\), size increase ≤ 5%\./);
    assert.match(md, /^\| bert\/fp32 \| ok: completed in both runs \| ok: accuracy 79\.13 → 79\.13 \(0\.00 points\) \| FAIL: b1 s128: p50 3\.10 → 3\.60 ms/m);
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
