import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pearson } from '../../../src/glue/metrics.js';
import { pairedBootstrapDifference } from '../../../src/report/verdicts/stats.js';
import { bootstrapDistribution, percentileOfSorted } from '../../../src/util/stats.js';
import { continuousScores, holds95 } from '../../helpers/interval-level.js';

describe("the paired bootstrap's level", () => {
  it('is 95%: the interval holds 95% of its draws, and a 90% or 85% interval of the same draws fails that', () => {
    const { gold, a, b } = continuousScores(300, 5);
    const draw = { seed: 3, resamples: 1000 };
    const difference = ([g, pa, pb]: readonly Float64Array[]) => pearson(g as Float64Array, pa as Float64Array) - pearson(g as Float64Array, pb as Float64Array);
    const draws = bootstrapDistribution([gold, a, b], draw, difference);
    assert.equal(new Set(draws).size, draws.length, 'no two draws tie');
    assert.ok(holds95(draws, pairedBootstrapDifference(gold, a, b, pearson, draw)));
    for (const level of [0.9, 0.85]) {
      const tail = (1 - level) / 2;
      assert.equal(holds95(draws, { low: percentileOfSorted(draws, tail), high: percentileOfSorted(draws, 1 - tail) }), false, `${level}`);
    }
  });
});
