import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapInterval } from '../../src/eval/bootstrap.js';
import { accuracy, pearson } from '../../src/glue/metrics.js';
import { seededRandom } from '../../src/util/random.js';
import { bootstrapDistribution, percentileOfSorted } from '../../src/util/stats.js';
import { continuousScores, holds95 } from '../helpers/interval-level.js';

/** 400 binary labels with predictions right about 85% of the time. */
function noisyBinary(seed: number): { yTrue: Int32Array; yPred: Int32Array } {
  const random = seededRandom(seed);
  const yTrue = Int32Array.from({ length: 400 }, () => random.below(2));
  const yPred = yTrue.map((t) => (random.next() < 0.85 ? t : 1 - t));
  return { yTrue, yPred };
}

test('the same seed gives the same interval, another seed another one', () => {
  const { yTrue, yPred } = noisyBinary(1);
  const first = bootstrapInterval(accuracy, yTrue, yPred, { seed: 7 });
  assert.deepEqual(bootstrapInterval(accuracy, yTrue, yPred, { seed: 7 }), first);
  assert.notDeepEqual(bootstrapInterval(accuracy, yTrue, yPred, { seed: 8 }), first);
  assert.equal(first.resamples, 1000);
});

test('the 95% interval contains the point estimate and is a few points wide', () => {
  const { yTrue, yPred } = noisyBinary(2);
  const point = accuracy(yTrue, yPred);
  const { low, high } = bootstrapInterval(accuracy, yTrue, yPred, { seed: 3 });
  assert.ok(low < point && point < high, `${low} < ${point} < ${high}`);
  // sd of an accuracy near 0.85 on 400 examples is about 0.018, so the interval is about 0.07 wide.
  assert.ok(high - low > 0.04 && high - low < 0.1, `width ${high - low}`);
});

test('the interval is 95% unless asked otherwise: it holds 95% of its draws, and a 90% or 85% interval fails that', () => {
  const { gold, a } = continuousScores(300, 4);
  // The same draws bootstrapInterval reads (its defaults: 1000 resamples, seed 0).
  const draws = bootstrapDistribution([gold, a], { resamples: 1000, seed: 0 }, ([t, p]) => pearson(t as Float64Array, p as Float64Array));
  assert.equal(new Set(draws).size, draws.length, 'no two draws tie');
  assert.ok(holds95(draws, bootstrapInterval(pearson, gold, a)));
  assert.ok(holds95(draws, { low: percentileOfSorted(draws, 0.025), high: percentileOfSorted(draws, 0.975) }));
  for (const confidence of [0.9, 0.85]) assert.equal(holds95(draws, bootstrapInterval(pearson, gold, a, { confidence })), false, `${confidence}`);
});

test('resamples where the metric is undefined are left out and counted', () => {
  // Half the resamples of two points draw the same point twice: a constant input, NaN Pearson.
  const result = bootstrapInterval(pearson, [0, 1], [0, 1], { resamples: 200, seed: 1 });
  assert.ok(result.resamples > 50 && result.resamples < 150, `${result.resamples}`);
  assert.equal(result.low, 1);
  assert.equal(result.high, 1);
});

test('bad options are refused', () => {
  assert.throws(() => bootstrapInterval(accuracy, [1], [1], { resamples: 0 }), /resamples/);
  assert.throws(() => bootstrapInterval(accuracy, [1], [1], { confidence: 1 }), /confidence/);
  assert.throws(() => bootstrapInterval(accuracy, [1, 0], [1], {}), /differ in length/);
});
