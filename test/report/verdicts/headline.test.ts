import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accuracy, matthewsCorrelation, METRICS } from '../../../src/glue/metrics.js';
import { GLUE_TASKS } from '../../../src/glue/tasks.js';
import { completedHeadlines, headlineMetric } from '../../../src/report/model/figures.js';
import { albertClaims } from '../../../src/report/verdicts/claims.js';
import { judge } from '../../../src/report/verdicts/judge.js';
import { pairedDifference, testText, variantDifference, withDifferencesVsFp32 } from '../../../src/report/verdicts/paired.js';
import { validateReport } from '../../../src/report/model/json-schema.js';
import { DEFAULT_THRESHOLDS, regress } from '../../../src/report/verdicts/regress.js';
import { taskScore } from '../../../src/report/suite/average.js';
import type { CompletedVariant, Report, RowValues } from '../../../src/report/model/types.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';

/**
 * A CoLA dev set of 500 rows, 350 acceptable (1) and 150 not (0), as CoLA's are mostly acceptable.
 * `constant` says 1 everywhere: 70% accurate, MCC 0. `balanced` is as accurate (wrong on 100
 * acceptable rows, right on 100 unacceptable ones) but MCC 0.36: McNemar on per-row correctness
 * sees 100 discordant rows each way (p = 1), while the task's score differs by 36 points.
 */
const N = 500;
const GOLD: RowValues = { rows: [...Array(N).keys()], labels: [...Array(N).keys()].map((i) => (i < 350 ? 1 : 0)) };
const constant = [...Array(N).keys()].map(() => 1);
const balanced = [...Array(N).keys()].map((i) => (i < 250 ? 1 : i < 350 ? 0 : i < 450 ? 0 : 1));

function colaVariant(id: string, labels: readonly number[]): CompletedVariant {
  const gold = GOLD.labels as number[];
  const [model, variant] = id.split('/') as [string, 'fp32' | 'int8-dynamic'];
  const base = sampleReport().variants.find((v): v is CompletedVariant => v.id === `${model}/${variant}` && v.state === 'completed');
  if (base === undefined) throw new Error(`the sample has no completed ${id}`);
  const mcc = matthewsCorrelation(gold, labels);
  return {
    ...base, predictions: { rows: [...GOLD.rows], labels: [...labels] },
    metrics: [{ key: 'mcc', value: mcc, examples: N, ci95Low: mcc - 0.1, ci95High: mcc + 0.1 }],
  };
}

/** The sample report as a CoLA run: bert/fp32 `balanced`, albert/fp32 and both int8-dynamic `constant`. */
function colaReport(): Report {
  const r = editable(sampleReport());
  r.settings.task = 'cola';
  r.settings.subset = { kind: 'all' };
  r.gold = { rows: [...GOLD.rows], labels: [...(GOLD.labels ?? [])] };
  r.variants = r.variants.map((v) => {
    if (v.state !== 'completed') return v;
    return colaVariant(v.id, v.id === 'bert/fp32' ? balanced : constant) as typeof v;
  });
  return r as Report;
}

describe('the headline is the task\'s GLUE score', () => {
  it('for every GLUE task, the headline metric is the suite\'s task score', () => {
    const gold = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1];
    const pred = [1, 0, 0, 1, 1, 1, 0, 0, 1, 0];
    for (const task of GLUE_TASKS) {
      const metrics = task.metrics.map((key) => ({ key, value: METRICS[key](gold, pred) }));
      assert.equal(headlineMetric(metrics)?.value, taskScore(task.id, metrics), task.id);
    }
  });

  it('CoLA: McNemar on correctness calls the pair a tie; the bootstrap of MCC, the headline, finds the 36 points', () => {
    const gold = GOLD.labels as number[];
    assert.equal(accuracy(gold, constant), accuracy(gold, balanced));
    const report = colaReport();
    const [bertFp32, albertFp32] = [report.variants[0], report.variants[3]] as [CompletedVariant, CompletedVariant];
    const mcnemar = pairedDifference(GOLD, bertFp32.predictions, albertFp32.predictions, 'accuracy');
    assert.deepEqual([mcnemar?.test, mcnemar?.significant], ['mcnemar', false]);
    const d = variantDifference(report.gold, bertFp32, albertFp32);
    assert.equal(d?.test, 'paired-bootstrap');
    assert.equal(d?.significant, true);
    assert.ok(d !== undefined && Math.abs(d.difference - matthewsCorrelation(gold, balanced)) < 1e-12);
    assert.match(testText(d), /^paired bootstrap of mcc p [=<] [\d.e-]+, 95% CI \+\d+\.\d\d to \+\d+\.\d\d points$/);

    const [hb, ha] = completedHeadlines([bertFp32, albertFp32]);
    const judged = judge(report.gold, 'accuracy', hb!, ha!);
    assert.ok(judged.order < 0 && judged.tie === undefined, JSON.stringify(judged));

    const claim = albertClaims(report).find((c) => c.id === 'as-accurate');
    assert.equal(claim?.verdict, 'not supported', claim?.evidence);
    assert.match(claim?.evidence ?? '', /fp32 mcc: ALBERT 0\.00 vs BERT 35\.63 \(n=500\); 200 of 500 predictions differ \(paired bootstrap of mcc p [=<] /);
  });

  it('report.json keeps the headline\'s test: which test, which metric, its p and interval, and validates', () => {
    const report = colaReport();
    const variants = withDifferencesVsFp32({ gold: GOLD, variants: report.variants.map((v) => (v.id === 'bert/int8-dynamic'
      ? colaVariant('bert/int8-dynamic', constant) : v)) });
    const d = (variants[2] as CompletedVariant).metrics[0]?.differenceVsFp32;
    if (d?.test !== 'paired-bootstrap') return assert.fail(`expected a paired bootstrap, got ${JSON.stringify(d)}`);
    assert.deepEqual([d.metric, d.significant, d.resamples, d.seed], ['mcc', true, 1000, 0]);
    assert.ok(d.pValue !== undefined && d.pValue < 0.05 && d.ci95High < 0, JSON.stringify(d));
    validateReport(JSON.parse(JSON.stringify({ ...report, variants })), 'report.json');
  });

  it('regress tests a drop of the task score with the score\'s own test', () => {
    const baseline = colaReport();
    const current = editable(baseline);
    current.variants[2] = colaVariant('bert/int8-dynamic', balanced) as typeof current.variants[2];
    const check = regress(baseline, current as Report, { ...DEFAULT_THRESHOLDS, maxAccuracyDropPoints: 100 }).checks
      .find((c) => c.variantId === 'bert/int8-dynamic' && c.check === 'accuracy');
    assert.match(check?.detail ?? '', /^mcc 0\.00 → 35\.63 \(\+35\.63 points; significant: 200 of 500 predictions differ \(paired bootstrap of mcc p [=<] /);
  });
});
