import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entropyEstimator, entropyThreshold } from '../../src/quantize/calibrate/entropy.js';
import { makeEstimator } from '../../src/quantize/calibrate/estimator.js';
import { MagnitudeHistogram } from '../../src/quantize/calibrate/histogram.js';
import { minMaxEstimator } from '../../src/quantize/calibrate/minmax.js';
import { percentileEstimator } from '../../src/quantize/calibrate/percentile.js';
import { seededRandom, type Random } from '../../src/util/random.js';

/** Standard normal samples (Box-Muller) from a seeded generator. */
function gaussian(rand: Random, n: number, sigma = 1): Float32Array {
  return Float32Array.from({ length: n }, () => sigma * Math.sqrt(-2 * Math.log(1 - rand.next())) * Math.cos(2 * Math.PI * rand.next()));
}

/** Cuts data into batches of varying sizes, as length-bucketed calibration batches are. */
function batches(data: Float32Array, sizes: readonly number[]): Float32Array[] {
  const out: Float32Array[] = [];
  for (let at = 0, k = 0; at < data.length; k++) {
    const size = sizes[k % sizes.length] as number;
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('calibration range estimators', () => {
  it('minmax: the exact extremes over batches, NaN and infinities ignored', () => {
    const e = minMaxEstimator();
    e.observe(Float32Array.of(0.5, -0.25, Number.NaN));
    e.observe(Float32Array.of(3, Infinity, -Infinity));
    e.observe(Float32Array.of(-1.5, 2));
    assert.deepEqual(e.range(), { min: -1.5, max: 3 });
    assert.deepEqual(minMaxEstimator().range(), { min: 0, max: 0 });
  });

  it('percentile: both tails of a known uniform distribution', () => {
    const rand = seededRandom(1);
    const data = Float32Array.from({ length: 400_000 }, () => 2 * rand.next() - 1);
    const e = percentileEstimator(99.5);
    for (const b of batches(data, [1000, 37_000, 5])) e.observe(b);
    const r = e.range();
    // 0.5% of all values lie above 0.99 and 0.5% below -0.99 for U(-1, 1).
    assert.ok(Math.abs(r.max - 0.99) < 0.003, `max ${r.max}`);
    assert.ok(Math.abs(r.min + 0.99) < 0.003, `min ${r.min}`);
  });

  it('percentile: a one-sided distribution keeps its smallest value and clips only the upper tail', () => {
    const rand = seededRandom(2);
    const data = Float32Array.from({ length: 200_000 }, () => rand.next() * 10);
    const e = percentileEstimator(99);
    e.observe(data);
    const r = e.range();
    assert.equal(r.min, e.observed().min);
    assert.ok(r.min >= 0);
    assert.ok(Math.abs(r.max - 9.9) < 0.02, `max ${r.max}`);
  });

  it('histograms merge across batches of different lengths and ranges, without a bin-count limit', () => {
    const rand = seededRandom(3);
    const parts = [
      Float32Array.from({ length: 7 }, () => rand.next() * 1e-6),
      Float32Array.from({ length: 50_000 }, () => rand.next()),
      Float32Array.from({ length: 3_000 }, () => rand.next() * 100),
      Float32Array.of(0, 0, 0),
      Float32Array.from({ length: 11 }, () => rand.next() * 1e30),
    ];
    const streamed = new MagnitudeHistogram();
    for (const p of parts) streamed.add(p);
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    const oneShot = new MagnitudeHistogram();
    oneShot.add(all);
    assert.equal(streamed.total, all.length);
    assert.equal(streamed.counts.reduce((a, b) => a + b, 0), all.length);
    // Both end at the widest batch's range; bin widths differ by at most the one doubling.
    assert.ok(streamed.width >= oneShot.width && streamed.width <= 2 * oneShot.width);
    const sorted = Float64Array.from(all).sort();
    const trueQuantile = sorted[all.length - 1 - 20] as number;
    assert.ok(Math.abs(streamed.valueWithCountAbove(20) - trueQuantile) <= 2 * streamed.width);
  });

  it('entropy: clips the rare wide outliers of a Gaussian mixture, keeps its bulk', () => {
    const rand = seededRandom(4);
    const bulk = gaussian(rand, 200_000);
    const data = bulk.map((v, i) => (i % 1000 === 0 ? v * 20 : v));
    const e = entropyEstimator();
    for (const b of batches(data, [9000, 333])) e.observe(b);
    const r = e.range();
    const o = e.observed();
    // The cut keeps the whole bulk (4.5 sigma) but gives up most of the outliers' range.
    assert.ok(r.max >= 4.5 && r.max <= o.max / 2, `threshold ${r.max} of ${o.max}`);
    assert.ok(r.min === -r.max, `lower ${r.min}`);
  });

  it('entropy: a Gaussian is clipped between 2.5 and 6 sigma, and never beyond what was seen', () => {
    const rand = seededRandom(5);
    const data = gaussian(rand, 500_000, 0.5);
    const hist = new MagnitudeHistogram();
    hist.add(data);
    const t = entropyThreshold(hist);
    assert.ok(t >= 2.5 * 0.5 && t <= 6 * 0.5, `threshold ${t}`);
    const e = entropyEstimator();
    e.observe(data);
    const r = e.range();
    assert.ok(r.min >= e.observed().min && r.max <= e.observed().max);
    assert.ok(r.max === Math.min(t, e.observed().max));
  });

  it('every method accepts an all-zero activation', () => {
    for (const method of ['minmax', 'percentile', 'entropy'] as const) {
      const e = makeEstimator({ method, percentile: 99.99 });
      e.observe(new Float32Array(100));
      const r = e.range();
      assert.ok(r.min === 0 && r.max === 0, `${method}: ${JSON.stringify(r)}`);
    }
  });
});
