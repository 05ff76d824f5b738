import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapDistribution, median, percentileOfSorted } from '../../src/util/stats.js';

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
});
