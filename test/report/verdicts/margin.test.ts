import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJunit } from '../../../src/report/render/junit.js';
import { renderRegressMarkdown } from '../../../src/report/render/regress-markdown.js';
import { rowsToDecide } from '../../../src/report/verdicts/margin.js';
import { DEFAULT_THRESHOLDS, regress, regressExitCode, type RegressResult } from '../../../src/report/verdicts/regress.js';
import type { Report } from '../../../src/report/model/types.js';
import { editable, samplePredictions, sampleReport, versionOneReport } from '../../helpers/sample-report.js';

/** The sample report against itself with bert/int8-dynamic (687 right of 872) changed: `lost` more of fp32's right rows wrong. */
function withDrop(lost: number, margin = 1): RegressResult {
  const current = editable(sampleReport());
  const v = current.variants[2];
  if (v?.state !== 'completed') throw new Error('bert/int8-dynamic is not completed');
  v.predictions = samplePredictions(690, 7 + lost, 4);
  v.metrics[0]!.value = (687 - lost) / 872;
  return regress(sampleReport(), current as Report, { ...DEFAULT_THRESHOLDS, accuracyMarginPoints: margin });
}

const accuracyOf = (r: RegressResult, id = 'bert/int8-dynamic') => r.checks.find((c) => c.variantId === id && c.check === 'accuracy');

describe('regress --margin: a non-inferiority gate that says when it cannot decide', () => {
  it('rowsToDecide: the fewest extra rows whose interval, centred on the drop, clears the margin (by hand)', () => {
    // drop 0.5 points, 95% CI -0.3 to 1.3 (half-width 0.8) on 872 rows, margin 1: the gap 0.5 needs
    // 0.8 * sqrt(872 / (872 + N)) < 0.5, i.e. N > 872 * (0.64 / 0.25 - 1) = 1360.32: N = 1361.
    assert.equal(rowsToDecide(872, 0.5, -0.3, 1.3, 1), 1361);
    assert.ok(0.8 * Math.sqrt(872 / (872 + 1361)) < 0.5 && 0.8 * Math.sqrt(872 / (872 + 1360)) > 0.5);
    // The same gap above the margin needs the same rows.
    assert.equal(rowsToDecide(872, 1.5, 0.7, 2.3, 1), 1361);
    // An interval twice as wide needs (4 * 0.64 / 0.25 - 1) * 872 = 8057.28, so 8058.
    assert.equal(rowsToDecide(872, 0.5, -1.1, 2.1, 1), 8058);
    // On the boundary: 200 rows, drop 1.5, CI 0 to 3.5 (half-width 1.75, gap 0.5) needs N > 200 * (12.25 - 1) = 2250
    // exactly, where the interval's end would sit on the margin, deciding nothing: 2251.
    assert.equal(rowsToDecide(200, 1.5, 0, 3.5, 1), 2251);
    // A drop exactly at the margin: no number of rows decides it.
    assert.equal(rowsToDecide(872, 1, 0.2, 1.8, 1), Infinity);
    // Already decided: none.
    assert.equal(rowsToDecide(872, 0.1, -0.3, 0.5, 1), 0);
  });

  it('PASS when the interval of the drop lies below the margin', () => {
    const r = withDrop(0);
    assert.equal(accuracyOf(r)?.status, 'pass');
    assert.match(accuracyOf(r)?.detail ?? '', /^accuracy 78\.78 → 78\.78: drop 0\.00 points, 95% CI 0\.00 to 0\.00 \(paired bootstrap\), below the margin of 1 point/);
    assert.equal(regressExitCode(r), 0);
  });

  it('FAIL when it lies above; INCONCLUSIVE when it straddles, with how many more rows would decide', () => {
    const failed = withDrop(30);
    assert.equal(accuracyOf(failed)?.status, 'fail', accuracyOf(failed)?.detail);
    assert.match(accuracyOf(failed)?.detail ?? '', /drop 3\.44 points, 95% CI \+\d\.\d\d to \+\d\.\d\d \(paired bootstrap\), above the margin of 1 point/);
    assert.equal(regressExitCode(failed), 1);
    const unsure = withDrop(10);
    const detail = accuracyOf(unsure)?.detail ?? '';
    assert.equal(accuracyOf(unsure)?.status, 'inconclusive', detail);
    assert.match(detail, /drop 1\.15 points, 95% CI \+0\.\d\d to \+1\.\d\d \(paired bootstrap\), across the margin of 1 point: about \d+ more rows would decide it/);
    // The sample scored every row of SST-2's dev split: no more rows to be had there.
    assert.match(detail, /more than the SST-2 dev split has left \(all 872 rows were scored\)/);
    assert.equal(regressExitCode(unsure), 3);
    // A FAIL anywhere outranks an INCONCLUSIVE: latency and size count too.
    const both = withDrop(10);
    const size = both.checks.find((c) => c.variantId === 'albert/int8-dynamic' && c.check === 'size');
    assert.equal(regressExitCode({ ...both, checks: both.checks.map((c) => (c === size ? { ...c, status: 'fail' as const } : c)) }), 1);
  });

  it('the margin replaces the point rule: a 1.15-point drop fails --max-accuracy-drop 1 but passes a margin of 2', () => {
    assert.equal(accuracyOf(withDrop(10, 2))?.status, 'pass', accuracyOf(withDrop(10, 2))?.detail);
    const current = editable(sampleReport());
    const v = current.variants[2];
    if (v?.state !== 'completed') throw new Error('bert/int8-dynamic is not completed');
    v.predictions = samplePredictions(690, 17, 4);
    v.metrics[0]!.value = 677 / 872;
    assert.equal(accuracyOf(regress(sampleReport(), current as Report, DEFAULT_THRESHOLDS))?.status, 'fail');
  });

  it('without per-row predictions (a version-1 baseline) there is no interval: INCONCLUSIVE, saying why', () => {
    const r = regress(versionOneReport() as Report, sampleReport(), { ...DEFAULT_THRESHOLDS, accuracyMarginPoints: 1 });
    assert.equal(accuracyOf(r, 'bert/fp32')?.status, 'inconclusive');
    assert.match(accuracyOf(r, 'bert/fp32')?.detail ?? '', /no paired interval: needs per-row predictions in both reports \(schema version 2\)/);
  });

  it('JUnit writes INCONCLUSIVE as an error, never as a skip; the Markdown summary gives it a column', () => {
    const unsure = withDrop(10);
    const xml = renderJunit(unsure);
    assert.match(xml, /<testsuites name="albench regress" tests="24" failures="0" errors="1" skipped="4">/);
    assert.match(xml, /<testcase classname="bert\/int8-dynamic" name="accuracy" time="0">\n {6}<error message="accuracy 78\.78 → 77\.64: [^"]*" type="inconclusive">/);
    assert.match(xml, /<property name="accuracy-margin-points" value="1"\/>/);
    const md = renderRegressMarkdown(unsure);
    assert.match(md, /^### albench regress: no regressions, 1 check inconclusive in 1 of 6 variants\n/);
    assert.match(md, /^\| variant \| completed \| accuracy \| latency \| size \| inconclusive \|$/m);
    assert.match(md, /^\| bert\/int8-dynamic \| ok: [^|]* \| INCONCLUSIVE: [^|]* \| [^|]* \| [^|]* \| accuracy: about \d+ more rows would decide it \|$/m);
    assert.match(md, /accuracy: the task score's drop must lie below a margin of 1 point, its whole 95% paired interval/);
  });
});
