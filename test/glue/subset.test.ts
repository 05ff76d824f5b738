import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { readGlueSplit } from '../../src/glue/read-split.js';
import {
  allocateProportionally,
  heldOutRows,
  sampleStrata,
  selectSubset,
  stratifiedSample,
  takeExamples,
} from '../../src/glue/subset.js';
import { findGlueTask } from '../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR as GLUE_DIR } from '../../src/paths.js';
const cola = readGlueSplit(findGlueTask('cola'), 'dev', GLUE_DIR);
const stsb = readGlueSplit(findGlueTask('stsb'), 'dev', GLUE_DIR);

function countsPerStratum(strata: Int32Array, indices: Int32Array | null = null): number[] {
  const counts: number[] = [];
  for (const i of indices ?? strata.keys()) {
    const s = strata[i] as number;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return Array.from(counts, (c) => c ?? 0);
}

test('--limit takes the first N rows, and all rows when N is larger', () => {
  assert.deepEqual(Array.from(selectSubset(cola, { kind: 'limit', limit: 5 }).indices), [0, 1, 2, 3, 4]);
  assert.equal(selectSubset(cola, { kind: 'limit', limit: 1_000_000 }).indices.length, 1043);
  assert.equal(selectSubset(cola, { kind: 'all' }).indices.length, 1043);
});

test('--sample is deterministic for a seed and returns ascending, distinct row indices', () => {
  const request = { kind: 'sample', size: 100, seed: 42 } as const;
  const first = selectSubset(cola, request);
  assert.deepEqual(selectSubset(cola, request).indices, first.indices);
  assert.notDeepEqual(selectSubset(cola, { ...request, seed: 43 }).indices, first.indices);
  assert.equal(first.indices.length, 100);
  assert.equal(new Set(first.indices).size, 100);
  assert.ok(first.indices.every((v, i, a) => i === 0 || (a[i - 1] as number) < v));
  assert.deepEqual(first.request, request);
});

test('--sample keeps each class within 1 of its proportional share', () => {
  for (const [data, size] of [[cola, 100], [cola, 7], [stsb, 250], [stsb, 13]] as const) {
    const strata = sampleStrata(data);
    const total = countsPerStratum(strata);
    const sampled = countsPerStratum(strata, stratifiedSample(strata, size, 1));
    total.forEach((count, k) => {
      const share = (size * count) / data.labels.length;
      const got = sampled[k] ?? 0;
      assert.ok(Math.abs(got - share) < 1, `${data.task.name} n=${size} stratum ${k}: ${got} vs ${share}`);
    });
  }
});

test('STS-B is stratified by unit score bins', () => {
  const strata = sampleStrata(stsb);
  assert.deepEqual([...new Set(strata)].sort(), [0, 1, 2, 3, 4]);
  stsb.labels.forEach((score, i) => assert.equal(strata[i], Math.min(Math.floor(score), 4)));
});

test('proportional shares add up to the sample size, remainders going to the largest fractions', () => {
  assert.deepEqual(allocateProportionally([322, 721], 10), [3, 7]);
  assert.deepEqual(allocateProportionally([1, 1, 1], 2), [1, 1, 0]);
  assert.deepEqual(allocateProportionally([5, 0, 5], 3), [2, 0, 1]);
});

test('a sample at least as large as the split is the whole split', () => {
  assert.equal(selectSubset(cola, { kind: 'sample', size: 5000, seed: 0 }).indices.length, 1043);
});

test('bad --limit, --sample or --seed values are usage errors', () => {
  assert.throws(() => selectSubset(cola, { kind: 'limit', limit: 0 }), UsageError);
  assert.throws(() => selectSubset(cola, { kind: 'sample', size: 2.5, seed: 0 }), /--sample/);
  assert.throws(() => selectSubset(cola, { kind: 'sample', size: 5, seed: Number.NaN }), /--seed/);
});

test('takeExamples keeps texts and labels of the chosen rows together', () => {
  const { indices } = selectSubset(stsb, { kind: 'sample', size: 20, seed: 9 });
  const part = takeExamples(stsb, indices);
  indices.forEach((row, i) => {
    assert.equal(part.textA[i], stsb.textA[row]);
    assert.equal(part.textB?.[i], stsb.textB?.[row]);
    assert.equal(part.labels[i], stsb.labels[row]);
  });
  assert.ok(part.labels instanceof Float64Array);
});

test('a calibration slice is never scored: all, limit and sample take their rows from outside it', () => {
  const slice = { size: 200, seed: 0 };
  const held = heldOutRows(cola, slice);
  assert.equal(held.length, 200);
  assert.deepEqual(countsPerStratum(sampleStrata(cola), held), allocateProportionally(countsPerStratum(sampleStrata(cola)), 200));
  const heldSet = new Set(held);
  const outside = Array.from(cola.labels.keys()).filter((row) => !heldSet.has(row));
  const scored = (request: Parameters<typeof selectSubset>[1]) => [...selectSubset(cola, { ...request, calibrationSlice: slice }).indices];
  assert.deepEqual(scored({ kind: 'all' }), outside);
  assert.deepEqual(scored({ kind: 'limit', limit: 50 }), outside.slice(0, 50));
  const sampled = scored({ kind: 'sample', size: 60, seed: 3 });
  assert.equal(sampled.length, 60);
  assert.ok(sampled.every((row) => !heldSet.has(row)));
  assert.deepEqual(sampled, [...sampled].sort((a, b) => a - b));
  // Another seed is another slice.
  assert.notDeepEqual([...heldOutRows(cola, { size: 200, seed: 1 })], [...held]);
  assert.throws(() => selectSubset(cola, { kind: 'all', calibrationSlice: { size: cola.labels.length, seed: 0 } }), UsageError);
});
