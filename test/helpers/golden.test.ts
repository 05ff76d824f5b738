import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxAbsDiff } from './golden.js';

describe('maxAbsDiff (the golden comparison)', () => {
  it('gives the largest absolute difference, with expected values rounded to float32', () => {
    assert.equal(maxAbsDiff([1, 2, 3], [1, 2.5, 2]), 1);
    assert.equal(maxAbsDiff(new Float32Array([0.1]), [0.1]), 0, 'float32 0.1 equals the float64 0.1 rounded to float32');
  });

  it('a NaN anywhere is NaN, even when later differences are finite, so no tolerance accepts it', () => {
    for (const actual of [[NaN, 1, 2], [1, NaN, 2], [1, 2, NaN]]) {
      const diff = maxAbsDiff(actual, [1, 1, 2]);
      assert.ok(Number.isNaN(diff), `${JSON.stringify(actual)} gave ${diff}`);
      assert.equal(diff <= 1e-3, false);
    }
    assert.ok(Number.isNaN(maxAbsDiff([1, 2], [NaN, 2])), 'a NaN in the golden too');
  });

  it('an infinite difference is Infinity; different lengths are Infinity', () => {
    assert.equal(maxAbsDiff([Infinity, 0], [0, 0]), Infinity);
    assert.equal(maxAbsDiff([1, 2], [1]), Infinity);
  });
});
