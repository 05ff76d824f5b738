import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatherStrided, isContiguous, viewSpan } from '../../src/checkpoint/strided.js';
import { rowMajorStride } from '../helpers/torch-checkpoint.js';

/** The obvious element-by-element copy, to check the row-at-a-time one against. */
function naiveGather(span: Uint8Array, itemSize: number, shape: readonly number[], stride: readonly number[]): number[] {
  const out: number[] = [];
  const count = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    let element = 0;
    for (let d = shape.length - 1; d >= 0; d--) {
      element += (rest % shape[d]!) * stride[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    for (let b = 0; b < itemSize; b++) out.push(span[element * itemSize + b]!);
  }
  return out;
}

describe('strided views', () => {
  it('isContiguous ignores the strides of size-1 dims', () => {
    assert.equal(isContiguous([2, 3], [3, 1]), true);
    assert.equal(isContiguous([1, 3], [99, 1]), true);
    assert.equal(isContiguous([], []), true);
    assert.equal(isContiguous([3, 2], [1, 3]), false);
    assert.equal(isContiguous([4], [2]), false);
  });

  it('viewSpan covers first to last element, and is 0 for empty views', () => {
    assert.equal(viewSpan([2, 3], [3, 1]), 6);
    assert.equal(viewSpan([3, 2], [1, 3]), 6);
    assert.equal(viewSpan([4], [2]), 7);
    assert.equal(viewSpan([], []), 1);
    assert.equal(viewSpan([0, 5], [5, 1]), 0);
  });

  it('gatherStrided matches the naive copy on permuted, sliced and broadcast views', () => {
    const span = new Uint8Array(4 * 120).map((_, i) => i % 251);
    const cases: Array<[number[], number[]]> = [
      [[4, 5, 6], [1, 4, 20]],
      [[5, 4], [24, 6]],
      [[2, 3, 4, 5], [60, 1, 15, 3]],
      [[3, 4], [0, 1]],
      [[6], [19]],
      [[2, 3], rowMajorStride([2, 3])],
      [[], []],
    ];
    for (const [shape, stride] of cases) {
      for (const itemSize of [1, 2, 4]) {
        assert.deepEqual([...gatherStrided(span, itemSize, shape, stride)], naiveGather(span, itemSize, shape, stride), `${shape} / ${stride} × ${itemSize}`);
      }
    }
  });
});
