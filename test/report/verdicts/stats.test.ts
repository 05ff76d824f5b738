import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pearson } from '../../../src/glue/metrics.js';
import { pairedDifference } from '../../../src/report/verdicts/paired.js';
import { bootstrapPValue, mcnemarExact, pairedBootstrapDifference, rankSumGreater } from '../../../src/report/verdicts/stats.js';
import { accuracyAndF1, matthewsCorrelation } from '../../../src/glue/metrics.js';
import { seededRandom } from '../../../src/util/random.js';

describe('mcnemarExact', () => {
  it('matches hand-computed binomial tails', () => {
    assert.equal(mcnemarExact(0, 0), 1);
    assert.equal(mcnemarExact(1, 0), 1); // 2 * P(X <= 0 | n = 1) = 2 * 0.5, capped at 1
    assert.equal(mcnemarExact(10, 0), 2 * 0.5 ** 10);
    assert.equal(mcnemarExact(0, 10), 2 * 0.5 ** 10);
    assert.ok(Math.abs(mcnemarExact(7, 4) - (2 * (1 + 11 + 55 + 165 + 330)) / 2 ** 11) < 1e-12);
    assert.ok(Math.abs(mcnemarExact(8, 2) - (2 * (1 + 10 + 45)) / 2 ** 10) < 1e-12);
    assert.equal(mcnemarExact(5, 5), 1);
  });

  it('stays finite past where 2^-n underflows', () => {
    const p = mcnemarExact(600, 500); // n = 1100
    assert.ok(p > 0.001 && p < 0.01, String(p));
    assert.equal(mcnemarExact(700, 700), 1);
  });

  it('refuses counts that are not counts', () => {
    assert.throws(() => mcnemarExact(-1, 2), RangeError);
    assert.throws(() => mcnemarExact(1.5, 2), RangeError);
  });
});

describe('the paired bootstrap', () => {
  it('is seeded, and brackets a clear difference away from 0', () => {
    const gold = Array.from({ length: 200 }, (_, i) => (i * 37) % 50 / 10);
    const good = gold.map((g, i) => g + ((i % 7) - 3) * 0.05);
    const bad = gold.map((g, i) => g + ((i % 11) - 5) * 0.6);
    const a = pairedBootstrapDifference(gold, good, bad, pearson, { seed: 0, resamples: 300 });
    assert.deepEqual(pairedBootstrapDifference(gold, good, bad, pearson, { seed: 0, resamples: 300 }), a);
    assert.ok(a.low > 0 && a.high > a.low, JSON.stringify(a));
    const same = pairedDifference({ rows: [...gold.keys()], scores: gold }, { rows: [...gold.keys()], scores: good }, { rows: [...gold.keys()], scores: good }, 'pearson');
    assert.equal(same?.test, 'paired-bootstrap');
    assert.equal(same?.significant, false);
    assert.equal(same?.predictionsDiffering, 0);
  });

  it('pairs rows by index, whatever the order', () => {
    const gold = { rows: [0, 1, 2, 3], labels: [1, 0, 1, 0] };
    const a = { rows: [3, 2, 1, 0], labels: [0, 1, 0, 0] }; // wrong on row 0 only
    const b = { rows: [0, 1, 2, 3], labels: [1, 0, 1, 0] };
    const d = pairedDifference(gold, a, b, 'accuracy');
    if (d?.test !== 'mcnemar') return assert.fail(`expected a McNemar test, got ${JSON.stringify(d)}`);
    assert.deepEqual({ only: d.onlyThisCorrect, other: d.onlyOtherCorrect, differ: d.predictionsDiffering, p: d.pValue }, { only: 0, other: 1, differ: 1, p: 1 });
  });
});

describe('the bootstrap p-value', () => {
  it('is where the interpolated percentile crosses 0, doubled: hand-computed cases', () => {
    assert.equal(bootstrapPValue([1, 2, 3]), 0);
    assert.equal(bootstrapPValue([-3, -2]), 0);
    assert.equal(bootstrapPValue([-1, 1]), 1);
    // Position 1.5 of 10 gaps: -1 + 0.5 * 2 = 0, so 0 sits at q = 0.15 and p = 0.3.
    assert.ok(Math.abs(bootstrapPValue([-3, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9]) - 0.3) < 1e-12);
    // A run of exact zeros spanning the middle: identical predictions, p = 1.
    assert.equal(bootstrapPValue([-1, 0, 0, 0, 3]), 1);
    assert.equal(bootstrapPValue([0, 0, 0]), 1);
    // A run of zeros below the middle: its upper end counts, q = 2 / 9.
    assert.ok(Math.abs(bootstrapPValue([-2, 0, 0, 1, 2, 3, 4, 5, 6, 7]) - 4 / 9) < 1e-12);
    assert.ok(Number.isNaN(bootstrapPValue([])));
  });

  it('is below 0.05 exactly when the 95% interval excludes 0, on MCC and accuracy-and-F1 differences', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 60; trial++) {
      const n = 40 + random.below(80);
      const gold = Array.from({ length: n }, () => (random.below(10) < 7 ? 1 : 0));
      const flip = 1 + random.below(12);
      const a = gold.map((g) => (random.below(flip + 3) === 0 ? 1 - g : g));
      const b = gold.map((g) => (random.below(4) === 0 ? 1 - g : g));
      for (const metric of [matthewsCorrelation, accuracyAndF1]) {
        const d = pairedBootstrapDifference(gold, a, b, metric, { seed: trial, resamples: 200 });
        assert.equal(d.pValue < 0.05, d.low > 0 || d.high < 0, JSON.stringify(d));
      }
    }
  });
});

describe('the one-sided rank-sum test of round p50s', () => {
  it('counts the splits exactly: hand-computed cases, ties sharing their mean rank', () => {
    assert.equal(rankSumGreater([5, 6, 7, 8], [1, 2, 3, 4]), 1 / 70); // the one split of 8 into 4 and 4 with every high value on top
    assert.equal(rankSumGreater([1, 2, 3, 4], [5, 6, 7, 8]), 1);
    assert.equal(rankSumGreater([3.6, 3.62], [3.05, 3.1]), 1 / 6);
    // Ranks 1, 3, 3, 3: the higher pair {2, 2} has rank sum 6, as 3 of the 6 splits do.
    assert.equal(rankSumGreater([2, 2], [1, 2]), 0.5);
    // U = 8 of 9 (one current round below a baseline round): 2 of the 20 splits reach it.
    assert.ok(Math.abs(rankSumGreater([3.5, 3.75, 3.75], [3.1, 3.1, 3.7]) - 0.1) < 1e-12);
    assert.equal(rankSumGreater([], [1, 2]), 1);
  });

  it('agrees with scipy.stats.mannwhitneyu(alternative="greater"): exact, and asymptotic past 60 values', () => {
    assert.ok(Math.abs(rankSumGreater([1.2, 3.4, 2.2, 5.1, 4.0], [0.5, 1.1, 2.0, 3.0, 0.9, 1.5]) - 0.025974025974025976) < 1e-12);
    const a = Array.from({ length: 35 }, (_, i) => 3 + 0.37 * i);
    const b = Array.from({ length: 36 }, (_, i) => 0.41 * i);
    assert.ok(Math.abs(rankSumGreater(a, b) - 0.021772636902021414) < 1e-6);
  });
});
