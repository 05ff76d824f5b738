import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchBySimilarLength, toOriginalOrder } from '../../src/tokenizers/batching.js';

test('batches hold similar lengths, longest first, ties in original order', () => {
  const batches = batchBySimilarLength([5, 12, 7, 12, 3, 7, 9], 3);
  assert.deepEqual(
    batches.map((b) => [Array.from(b.indices), b.maxLength]),
    [
      [[1, 3, 6], 12],
      [[2, 5, 0], 7],
      [[4], 3],
    ],
  );
});

test('batch outputs go back to the original example order', () => {
  const lengths = [4, 9, 1, 6, 6];
  const batches = batchBySimilarLength(lengths, 2);
  // Two logits per example: (original index, its length), as a model would emit them in batch order.
  const outputs = batches.map((b) =>
    Float32Array.from(Array.from(b.indices).flatMap((i) => [i, lengths[i] as number])),
  );
  assert.deepEqual(Array.from(toOriginalOrder(batches, outputs, 2)), [0, 4, 1, 9, 2, 1, 3, 6, 4, 6]);
});

test('bad batch sizes and mismatched outputs are refused', () => {
  assert.throws(() => batchBySimilarLength([1, 2], 0), /batch size/);
  const batches = batchBySimilarLength([1, 2, 3], 2);
  assert.throws(() => toOriginalOrder(batches, [new Float32Array(2)], 1), /2 batches/);
  assert.throws(() => toOriginalOrder(batches, [new Float32Array(2), new Float32Array(2)], 1), /batch 1/);
});
