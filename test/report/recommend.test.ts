import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paretoFront } from '../../src/report/pareto.js';
import { recommend } from '../../src/report/recommend.js';
import { sampleReport } from '../helpers/sample-report.js';

const { variants } = sampleReport();

describe('recommend', () => {
  it('no constraints: the Pareto set on accuracy, size and latency, with its figures', () => {
    const r = recommend(variants, {});
    assert.equal(r.kind, 'pareto');
    // bert/fp32 and fp32-optimized are beaten by albert/int8-dynamic on all three; albert/fp32 is the most
    // accurate, albert/int8-dynamic the smallest, bert/int8-dynamic the fastest.
    assert.deepEqual([...r.variantIds].sort(), ['albert/fp32', 'albert/int8-dynamic', 'bert/int8-dynamic']);
    assert.match(r.reason, /3 variants are Pareto-optimal/);
    assert.match(r.reason, /albert\/int8-dynamic \(accuracy 80\.16, n=872, 1\.38 MB, p50 2\.05 ms at b1 s128\)/);
  });

  it('a size budget: the most accurate variant within it', () => {
    const r = recommend(variants, { maxSizeBytes: 5_000_000 });
    assert.deepEqual(r, {
      kind: 'best-fit',
      variantIds: ['albert/fp32'],
      reason: 'albert/fp32 is the most accurate of the 2 variants that meet size ≤ 5.00 MB: accuracy 80.62, n=872, 4.80 MB, p50 3.18 ms at b1 s128.',
    });
  });

  it('a latency budget applies to the p50 of the first grid point', () => {
    const r = recommend(variants, { maxLatencyMs: 2 });
    assert.deepEqual(r.variantIds, ['bert/int8-dynamic']);
    assert.match(r.reason, /is the only variant that meets p50 ≤ 2\.00 ms: .*p50 1\.92 ms at b1 s128\.$/);
    // 12 ms would exclude nothing at b1 but everything at b8: only the first point counts.
    assert.equal(recommend(variants, { maxLatencyMs: 12 }).variantIds[0], 'albert/fp32');
  });

  it('an accuracy floor: the smallest variant above it', () => {
    const r = recommend(variants, { minAccuracy: 0.8 });
    assert.deepEqual(r.variantIds, ['albert/int8-dynamic']);
    assert.match(r.reason, /is the smallest of the 2 variants that meet accuracy ≥ 80\.00/);
  });

  it('a floor and a size budget: the fastest variant left', () => {
    const r = recommend(variants, { minAccuracy: 0.785, maxSizeBytes: 6_000_000 });
    assert.deepEqual(r.variantIds, ['bert/int8-dynamic']);
    assert.match(r.reason, /is the fastest of the 3 variants that meet size ≤ 6\.00 MB and accuracy ≥ 78\.50/);
  });

  it('nothing fits: says so and names the nearest miss with how far it misses', () => {
    const r = recommend(variants, { maxSizeBytes: 1_000_000, minAccuracy: 0.85 });
    assert.equal(r.kind, 'no-fit');
    assert.deepEqual(r.variantIds, []);
    assert.equal(r.reason, 'No variant meets size ≤ 1.00 MB and accuracy ≥ 85.00; the nearest miss is albert/int8-dynamic (accuracy 80.16, n=872, 1.38 MB, p50 2.05 ms at b1 s128), 0.38 MB over the size limit and 4.84 points under the accuracy floor.');
  });

  it('failed variants are never recommended; with none completed there is nothing to recommend', () => {
    assert.ok(!recommend(variants, {}).variantIds.includes('albert/fp32-optimized'));
    const failed = variants.filter((v) => v.state === 'failed');
    assert.equal(recommend(failed, { maxSizeBytes: 1e9 }).kind, 'no-fit');
  });
});

describe('paretoFront', () => {
  it('keeps items no other item beats on every objective, ties included', () => {
    const items = [{ a: 1, b: 3 }, { a: 2, b: 2 }, { a: 3, b: 1 }, { a: 3, b: 3 }, { a: 2, b: 2 }];
    assert.deepEqual(paretoFront(items, [(i) => i.a, (i) => i.b]), [items[0], items[1], items[2], items[4]]);
  });
});
