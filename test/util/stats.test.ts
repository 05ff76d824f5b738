import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapDistribution, median, medianInterval95OfSorted, percentileOfSorted } from '../../src/util/stats.js';

describe('util/stats', () => {
  it('percentileOfSorted follows numpy\'s linear rule (np.percentile([1, 2, 4, 8], [0, 25, 90, 100]) = 1, 1.75, 6.8, 8)', () => {
    const sorted = [1, 2, 4, 8];
    assert.deepEqual([0, 0.25, 0.9, 1].map((q) => Number(percentileOfSorted(sorted, q).toFixed(12))), [1, 1.75, 6.8, 8]);
    assert.ok(Number.isNaN(percentileOfSorted([], 0.5)));
  });

  it('median: the middle value, or the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('bootstrapDistribution keeps each row\'s values together, is seeded, drops undefined values and sorts', () => {
    const a = [1, 2, 3, 4, 5];
    const sameRow = bootstrapDistribution([a, a.map((x) => x * 10)], { resamples: 50, seed: 7 }, ([x, y]) => {
      for (let i = 0; i < (x as Float64Array).length; i++) if ((y as Float64Array)[i] !== (x as Float64Array)[i]! * 10) return 1;
      return 0;
    });
    assert.deepEqual([...new Set(sameRow)], [0]);
    const sum = (cols: readonly Float64Array[]) => (cols[0] as Float64Array).reduce((s, v) => s + v, 0);
    const first = bootstrapDistribution([a], { resamples: 200, seed: 1 }, sum);
    assert.deepEqual([...first], [...bootstrapDistribution([a], { resamples: 200, seed: 1 }, sum)]);
    assert.notDeepEqual([...first], [...bootstrapDistribution([a], { resamples: 200, seed: 2 }, sum)]);
    assert.deepEqual([...first], [...first].sort((x, y) => x - y));
    const halfUndefined = bootstrapDistribution([a], { resamples: 100, seed: 3 }, (cols) => (sum(cols) % 2 === 0 ? Number.NaN : 1));
    assert.ok(halfUndefined.length > 0 && halfUndefined.length < 100);
    assert.throws(() => bootstrapDistribution([a, [1]], { resamples: 1, seed: 0 }, sum), /differ in length/);
  });

  it('bootstrapDistribution with strata draws each row from its own stratum, so every stratum keeps its size and place', () => {
    // Rows 0-3 are stratum 0 (values 1..4), rows 4-9 stratum 1 (values 100..600).
    const values = [1, 2, 3, 4, 100, 200, 300, 400, 500, 600];
    const strata = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    bootstrapDistribution([values], { resamples: 200, seed: 5, strata }, ([v]) => {
      const drawn = [...(v as Float64Array)];
      assert.ok(drawn.slice(0, 4).every((x) => x < 10) && drawn.slice(4).every((x) => x >= 100), drawn.join(' '));
      return 0;
    });
    // Without strata the draws are what they always were.
    const plain = bootstrapDistribution([values], { resamples: 20, seed: 5 }, ([v]) => (v as Float64Array)[0] as number);
    assert.ok(plain.some((x) => x >= 100));
    assert.throws(() => bootstrapDistribution([values], { resamples: 1, seed: 0, strata: [0] }, () => 0), /strata has 1 entries for 10 rows/);
  });
  it('medianInterval95OfSorted takes the order statistics n/2 ± 1.96·√n/2, clamped to the sample', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i);
    // 50 ± 9.8: the 40th and the 60th values (0-based), whatever the values are.
    assert.deepEqual(medianInterval95OfSorted(hundred), { low: 40, high: 60 });
    assert.deepEqual(medianInterval95OfSorted([1, 2, 3]), { low: 1, high: 3 });
    assert.deepEqual(medianInterval95OfSorted([7]), { low: 7, high: 7 });
    assert.ok(Number.isNaN(medianInterval95OfSorted([]).low));
  });
});
