import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  accuracy,
  accuracyAndF1,
  averageRanks,
  f1,
  matthewsCorrelation,
  METRICS,
  pearson,
  pearsonAndSpearman,
  precision,
  recall,
  spearman,
  type Metric,
} from '../../src/glue/metrics.js';
import { FIXTURES } from '../helpers/paths.js';

interface GoldenCase {
  id: string;
  kind: 'classification' | 'regression';
  y_true: number[];
  y_pred: number[];
  expected: Record<string, number | string | boolean | null>;
}

const goldens = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'metrics/metrics.json'), 'utf8'),
) as { cases: GoldenCase[]; glue_task_metrics: Record<string, string[]> };

// What docs/eval.md's "equal to scikit-learn/scipy" allows: single integer divisions and sklearn's MCC
// formula match bit for bit; scipy's correlations leave the summation order open, so they get 1e-12.
const EXACT = 0;
const CORRELATION = 1e-12;
const checks: Record<string, { metric: Metric; tolerance: number }> = {
  accuracy: { metric: accuracy, tolerance: EXACT },
  f1: { metric: f1, tolerance: EXACT },
  f1_zero_division_warn: { metric: (t, p) => f1(t, p, 0), tolerance: EXACT },
  f1_zero_division_1: { metric: (t, p) => f1(t, p, 1), tolerance: EXACT },
  precision: { metric: precision, tolerance: EXACT },
  recall: { metric: recall, tolerance: EXACT },
  acc_and_f1: { metric: accuracyAndF1, tolerance: EXACT },
  mcc: { metric: matthewsCorrelation, tolerance: EXACT },
  pearson: { metric: pearson, tolerance: CORRELATION },
  spearman: { metric: spearman, tolerance: CORRELATION },
  pearson_and_spearman: { metric: pearsonAndSpearman, tolerance: CORRELATION },
};

function expectedNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number(value); // "NaN", "Infinity", "-Infinity"
}

for (const golden of goldens.cases) {
  test(`metrics match scikit-learn/scipy on ${golden.id}`, () => {
    const yTrue = Float64Array.from(golden.y_true);
    const yPred = Float64Array.from(golden.y_pred);
    for (const [key, value] of Object.entries(golden.expected)) {
      if (key === 'f1_error') continue; // checked with its f1: null below
      if (key === 'pearson_args_swapped_identical') {
        assert.equal(Object.is(pearson(yTrue, yPred), pearson(yPred, yTrue)), value, key);
        continue;
      }
      const check = checks[key];
      assert.ok(check, `no check for fixture key ${key}`);
      if (value === null) {
        assert.match(String(golden.expected['f1_error']), /multiclass/);
        assert.throws(() => check.metric(yTrue, yPred), /multiclass/, key);
        continue;
      }
      assert.ok(typeof value === 'number' || typeof value === 'string', `${key} has a numeric value`);
      const want = expectedNumber(value);
      const got = check.metric(yTrue, yPred);
      if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${key}: expected NaN, got ${got}`);
      else assert.ok(Math.abs(got - want) <= check.tolerance, `${key}: expected ${want}, got ${got}`);
    }
  });
}

test('every metric key GLUE tasks use in the fixture has a function', () => {
  for (const keys of Object.values(goldens.glue_task_metrics)) {
    for (const key of keys) assert.ok(key in METRICS, key);
  }
});

test('average ranks share the mean rank among ties', () => {
  assert.deepEqual(Array.from(averageRanks([10, 20, 20, 5, 20])), [2, 4, 4, 1, 4]);
});

test('metrics refuse labels and predictions of different lengths', () => {
  assert.throws(() => accuracy([1, 0], [1]), /differ in length/);
});
