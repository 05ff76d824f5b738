import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gridPoints, parseSizeList } from '../../src/bench/grid.js';
import { UsageError } from '../../src/errors.js';

describe('grid', () => {
  it('parses comma-separated sizes in the order given', () => {
    assert.deepEqual(parseSizeList('batchSize', '8, 1,32'), [8, 1, 32]);
  });

  it('refuses what is not a positive integer, naming the flag and the value', () => {
    for (const bad of ['', '1,', 'x', '0', '-1', '1.5', '1e9', '8,,1']) {
      assert.throws(() => parseSizeList('sequenceLength', bad), (e: unknown) => e instanceof UsageError && /^--seq: /.test(e.message), bad);
    }
  });

  it('crosses batch sizes with sequence lengths, batch-major, and refuses repeats', () => {
    assert.deepEqual(gridPoints([1, 8], [32, 128]).map((p) => `${p.batchSize}x${p.sequenceLength}`), ['1x32', '1x128', '8x32', '8x128']);
    assert.throws(() => gridPoints([1, 1], [8]), /--batch lists 1 twice/);
    assert.throws(() => gridPoints([1], []), /--seq is empty/);
  });
});
