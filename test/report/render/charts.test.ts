import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tradeoffCharts } from '../../../src/report/render/charts.js';
import { renderHtml } from '../../../src/report/render/html.js';
import { mergeReports } from '../../../src/report/merge/merge.js';
import { recommend } from '../../../src/report/verdicts/recommend.js';
import type { Report, VariantResult } from '../../../src/report/model/types.js';
import { editable, latencyPoint, SAMPLE_GOLD, sampleReport, type DeepMutable } from '../../helpers/sample-report.js';

/** The ids each chart rings, by chart id. */
function fronts(report: Pick<Report, 'models' | 'variants' | 'gold' | 'matrix'>): Record<string, string[]> {
  return Object.fromEntries(tradeoffCharts(report).map((c) => [c.id, c.points.filter((p) => p.onFront).map((p) => p.label).sort()]));
}

/** The sample report with the first grid point of `id` replaced; its between-round spread as given. */
function retimed(r: DeepMutable<Report>, id: string, p50Ms: number, spreadMs: number): void {
  const v = r.variants.find((x) => x.id === id);
  if (v?.state !== 'completed') throw new Error(`${id} is not a completed variant of the sample`);
  v.latency[0] = latencyPoint(1, p50Ms, 0.15, 1000, 234_914_304, spreadMs);
}

const recommendationOf = (r: DeepMutable<Report>) => recommend(r.variants as VariantResult[], {}, SAMPLE_GOLD);

describe('the charts\' Pareto fronts use the recommendation\'s rule: differences within noise are ties', () => {
  it('accuracy within noise: albert/fp32, raw the most accurate, is off the size front as it is off the recommendation', () => {
    const report = sampleReport();
    // 12 of 872 predictions differ between albert/fp32 and albert/int8-dynamic (McNemar p = 0.39): a tie, and int8 is smaller and faster.
    assert.match(report.recommendation.reason, /albert\/fp32 and albert\/int8-dynamic are indistinguishable in accuracy/);
    assert.ok(!report.recommendation.variantIds.includes('albert/fp32'));
    assert.deepEqual(fronts(report), {
      'accuracy-vs-size': ['albert/int8-dynamic'],
      'accuracy-vs-latency': ['albert/int8-dynamic', 'bert/int8-dynamic'],
    });
  });

  it('latencies closer than their spread: the raw-fastest point is off the front when the other is more accurate', () => {
    const r = editable(sampleReport());
    // bert/int8-dynamic 1.92 ms against albert/int8-dynamic's 2.05 ms, but 0.2 ms apart between rounds.
    retimed(r, 'bert/int8-dynamic', 1.92, 0.2);
    const rec = recommendationOf(r);
    assert.match(rec.reason, /bert\/int8-dynamic and albert\/int8-dynamic are indistinguishable in latency: p50 1\.92 vs 2\.05 ms/);
    assert.deepEqual(rec.variantIds, ['albert/int8-dynamic']);
    // albert/int8-dynamic is more accurate beyond noise (699 against 687 right) and tied on latency: bert/int8-dynamic is beaten.
    assert.deepEqual(fronts(r as Report)['accuracy-vs-latency'], ['albert/int8-dynamic']);
  });

  it('a tie on both axes keeps both points on the front, where the raw figures would drop the slower, less accurate one', () => {
    const r = editable(sampleReport());
    // albert/fp32 now 2.00 ms against albert/int8-dynamic's 2.05 ms, within its 0.2 ms spread; accuracy tied as above.
    retimed(r, 'albert/fp32', 2.0, 0.2);
    const rec = recommendationOf(r);
    assert.match(rec.reason, /albert\/fp32 and albert\/int8-dynamic are indistinguishable in latency: p50 2\.00 vs 2\.05 ms/);
    assert.match(rec.reason, /albert\/fp32 and albert\/int8-dynamic are indistinguishable in accuracy/);
    const latencyFront = fronts(r as Report)['accuracy-vs-latency'] ?? [];
    assert.ok(latencyFront.includes('albert/int8-dynamic'), `tied with albert/fp32 on both axes: ${latencyFront.join(', ')}`);
    assert.ok(latencyFront.includes('albert/fp32'), `tied with albert/int8-dynamic on both axes: ${latencyFront.join(', ')}`);
  });

  it('says under each chart what the ring means', () => {
    const html = renderHtml(sampleReport());
    const caption = /<figcaption>Circled: no other variant is better on one axis and not worse on the other, differences within noise counted as ties/g;
    assert.equal(html.match(caption)?.length, 2);
  });

  it('a merged report whose shards were timed at once: latency is left out of the front, as out of the recommendation', () => {
    const shards = [0, 1, 2].map((index) => {
      const s = editable(sampleReport());
      s.variants = s.variants.filter((_, i) => Math.floor((i * 3) / 6) === index);
      s.models = s.models.filter((m) => s.variants.some((v) => v.model === m.id));
      s.shard = { index, count: 3, models: ['bert', 'albert'], startedAt: '2026-12-01T00:00:00Z', finishedAt: '2026-12-01T00:01:00Z', machine: 'a'.repeat(16) };
      return { report: s as Report, name: `shard${index}.json` };
    });
    const merged = mergeReports(shards);
    assert.match(merged.recommendation.reason, /^Judged on accuracy and size only: latency is not comparable here/);
    const [size, latency] = tradeoffCharts(merged);
    assert.deepEqual(size?.points.filter((p) => p.onFront).map((p) => p.label), ['albert/int8-dynamic']);
    // On accuracy alone: albert/fp32 and its tie albert/int8-dynamic; bert/int8-dynamic, the fastest, is no longer ringed for its speed.
    const onFront = latency?.points.filter((p) => p.onFront).map((p) => p.label).sort();
    assert.deepEqual(onFront, ['albert/fp32', 'albert/int8-dynamic']);
    const leftOut = /^Circled: no other variant is more accurate beyond noise\. Latency is left out of this front, as out of the recommendation: shard 0\/3/;
    assert.match(latency?.caption ?? '', leftOut);
  });
});
