import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paretoFront, paretoFrontWith } from '../../../src/report/verdicts/pareto.js';
import { recommend } from '../../../src/report/verdicts/recommend.js';
import type { LatencyPoint, VariantResult } from '../../../src/report/model/types.js';
import { editable, latencyPoint, SAMPLE_GOLD, sampleReport, samplePredictions } from '../../helpers/sample-report.js';

const { variants } = sampleReport();
/** recommend with the sample's gold labels: accuracy differences are judged by the paired test. */
const recommendOn = (vs: readonly VariantResult[], constraints: Parameters<typeof recommend>[1]) => recommend(vs, constraints, SAMPLE_GOLD);

describe('recommend', () => {
  it('no constraints: the Pareto set on accuracy, size and latency, with its figures', () => {
    const r = recommendOn(variants, {});
    assert.equal(r.kind, 'pareto');
    // bert/fp32 and fp32-optimized are beaten by albert/int8-dynamic on all three; albert/int8-dynamic the smallest,
    // bert/int8-dynamic the fastest. albert/fp32 is the most accurate by 0.46 points, but 8 rows against 4 is no
    // evidence (McNemar p = 0.39): a tie, so albert/int8-dynamic, smaller and faster, beats it.
    assert.deepEqual([...r.variantIds].sort(), ['albert/int8-dynamic', 'bert/int8-dynamic']);
    assert.match(r.reason, /2 variants are Pareto-optimal/);
    assert.match(r.reason, /albert\/int8-dynamic \(accuracy 80\.16, n=872, 1\.38 MB, p50 2\.05 ms at b1 s128\)/);
    assert.match(r.reason, /Differences within noise count as ties: albert\/fp32 and albert\/int8-dynamic are indistinguishable in accuracy: 12 of 872 predictions differ \(McNemar p = 0\.39\)\.$/);
    // Without the paired predictions (a version-1 report) the raw figures decide, as before.
    assert.deepEqual([...recommend(variants, {}).variantIds].sort(), ['albert/fp32', 'albert/int8-dynamic', 'bert/int8-dynamic']);
  });

  it('a size budget: the most accurate variant within it, a tie within noise going to the next figure', () => {
    const r = recommendOn(variants, { maxSizeBytes: 5_000_000 });
    assert.deepEqual(r, {
      kind: 'best-fit',
      variantIds: ['albert/int8-dynamic'],
      reason: 'albert/int8-dynamic is the most accurate within noise of the 2 variants that meet size ≤ 5.00 MB: accuracy 80.16, n=872, 1.38 MB, p50 2.05 ms at b1 s128.'
        + ' Differences within noise count as ties: albert/fp32 and albert/int8-dynamic are indistinguishable in accuracy: 12 of 872 predictions differ (McNemar p = 0.39).',
    });
    assert.deepEqual(recommend(variants, { maxSizeBytes: 5_000_000 }).variantIds, ['albert/fp32']);
  });

  it('a latency budget applies to the p50 of the first grid point', () => {
    const r = recommend(variants, { maxLatencyMs: 2 });
    assert.deepEqual(r.variantIds, ['bert/int8-dynamic']);
    assert.match(r.reason, /is the only variant that meets p50 ≤ 2\.00 ms: .*p50 1\.92 ms at b1 s128\.$/);
    // 12 ms would exclude nothing at b1 but everything at b8: only the first point counts.
    assert.equal(recommend(variants, { maxLatencyMs: 12 }).variantIds[0], 'albert/fp32');
    assert.equal(recommendOn(variants, { maxLatencyMs: 12 }).variantIds[0], 'albert/int8-dynamic');
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

describe('differences within noise are ties', () => {
  /** albert/int8-dynamic right on one row fewer than albert/fp32, and nothing else changed. */
  function oneExampleApart() {
    const r = editable(sampleReport());
    const v = r.variants[5];
    assert.equal(v?.id, 'albert/int8-dynamic');
    if (v?.state !== 'completed') throw new Error('albert/int8-dynamic is not completed');
    v.predictions = samplePredictions(703, 1, 0);
    v.metrics[0]!.value = 702 / 872;
    return r.variants as VariantResult[];
  }

  it('two variants one example apart tie in the Pareto set and the recommendation, which say so', () => {
    const tied = oneExampleApart();
    const sentence = 'albert/fp32 and albert/int8-dynamic are indistinguishable in accuracy: 1 of 872 predictions differs (McNemar p = 1.00)';
    const pareto = recommendOn(tied, {});
    assert.ok(!pareto.variantIds.includes('albert/fp32'), pareto.reason);
    assert.ok(pareto.reason.includes(sentence), pareto.reason);
    const best = recommendOn(tied, { maxSizeBytes: 5_000_000 });
    assert.deepEqual(best.variantIds, ['albert/int8-dynamic']);
    assert.ok(best.reason.includes(sentence), best.reason);
  });

  it('latencies closer than the between-round spread tie in the Pareto set', () => {
    const r = editable(sampleReport());
    const at = (i: number, id: string) => {
      const v = r.variants[i];
      assert.equal(v?.id, id);
      if (v?.state !== 'completed') throw new Error(`${id} is not completed`);
      return v;
    };
    const withSpread = (p: LatencyPoint, spreadMs: number) => ({ ...p, spreadMs, roundP50sMs: [...p.roundP50sMs] });
    // bert/int8-dynamic is in the set only as the fastest (1.92 ms against albert/int8-dynamic's 2.05 ms).
    at(2, 'bert/int8-dynamic').latency[0] = withSpread(latencyPoint(1, 1.92, 0.15, 1000, 234_914_304), 0.2);
    at(5, 'albert/int8-dynamic').latency[0] = withSpread(latencyPoint(1, 2.05, 0.16, 1000, 235_962_880), 0.05);
    const rec = recommendOn(r.variants as VariantResult[], {});
    assert.deepEqual(rec.variantIds, ['albert/int8-dynamic']);
    assert.match(rec.reason, /bert\/int8-dynamic and albert\/int8-dynamic are indistinguishable in latency: p50 1\.92 vs 2\.05 ms at b1 s128, within the noise of ±0\.200 ms/);
    at(2, 'bert/int8-dynamic').latency[0] = withSpread(latencyPoint(1, 1.92, 0.15, 1000, 234_914_304), 0.1);
    assert.deepEqual([...recommendOn(r.variants as VariantResult[], {}).variantIds].sort(), ['albert/int8-dynamic', 'bert/int8-dynamic']);
  });
});

describe('paretoFront', () => {
  it('a comparator that calls a difference a tie keeps both sides', () => {
    const items = [{ a: 1.0, b: 2 }, { a: 1.1, b: 1 }, { a: 1.05, b: 3 }];
    const within = (x: number, y: number) => (Math.abs(x - y) <= 0.2 ? 0 : x - y);
    assert.deepEqual(paretoFrontWith(items, [(p, q) => within(p.a, q.a), (p, q) => p.b - q.b]), [items[1]]);
    assert.deepEqual(paretoFront(items, [(i) => i.a, (i) => i.b]), [items[0], items[1]]);
  });

  it('keeps items no other item beats on every objective, ties included', () => {
    const items = [{ a: 1, b: 3 }, { a: 2, b: 2 }, { a: 3, b: 1 }, { a: 3, b: 3 }, { a: 2, b: 2 }];
    assert.deepEqual(paretoFront(items, [(i) => i.a, (i) => i.b]), [items[0], items[1], items[2], items[4]]);
  });
});
