import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paretoFront, paretoFrontWith } from '../../../src/report/verdicts/pareto.js';
import { recommend } from '../../../src/report/verdicts/recommend.js';
import { albertClaims } from '../../../src/report/verdicts/claims.js';
import { variantDifference } from '../../../src/report/verdicts/paired.js';
import type { CompletedVariant, Constraints, LatencyPoint, VariantResult } from '../../../src/report/model/types.js';
import { seededRandom, type Random } from '../../../src/util/random.js';
import { editable, latencyPoint, SAMPLE_GOLD, sampleReport, samplePredictions } from '../../helpers/sample-report.js';
import { sampleDeploymentReport } from '../../helpers/sample-deployment.js';

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

/** Every ordering of `items`. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** One of the sample's completed variants with other figures: `wrong` rows of SAMPLE_GOLD it gets wrong, size, b1 p50 and spread. */
function variantWith(id: string, wrong: ReadonlySet<number>, sizeBytes: number, p50Ms = 2, spreadMs = 0.04): CompletedVariant {
  const base = variants.find((v): v is CompletedVariant => v.id === id && v.state === 'completed');
  if (base === undefined) throw new Error(`the sample has no completed ${id}`);
  const gold = SAMPLE_GOLD.labels ?? [];
  const labels = gold.map((g, i) => (wrong.has(i) ? 1 - g : g));
  const right = labels.filter((l, i) => l === gold[i]).length;
  const metric = { key: 'accuracy', value: right / labels.length, examples: labels.length, ci95Low: 0, ci95High: 1 };
  const point = { ...latencyPoint(1, p50Ms, 0.02, 1000, 1), spreadMs, roundP50sMs: [p50Ms - spreadMs / 2, p50Ms, p50Ms + spreadMs / 2, p50Ms] };
  return { ...base, sizeBytes, metrics: [metric], latency: [point], predictions: { rows: [...SAMPLE_GOLD.rows], labels } };
}

describe('the recommendation is decided on the set, not on the order of the variants', () => {
  it('700, 695 and 690 right of 872 under a size limit: the 700 one significantly beats the 690 one, so the 690 one is never picked', () => {
    // Right on the first 700, 695 and 690 rows: 700 against 690 is 10 discordant rows one way (McNemar p = 0.002),
    // each neighbouring pair 5 (p = 0.06, a tie). The least accurate is the smallest, the most accurate the largest.
    const trio = [
      variantWith('bert/fp32', new Set([...Array(872).keys()].filter((i) => i >= 700)), 3_000_000),
      variantWith('bert/fp32-optimized', new Set([...Array(872).keys()].filter((i) => i >= 695)), 2_000_000),
      variantWith('bert/int8-dynamic', new Set([...Array(872).keys()].filter((i) => i >= 690)), 1_000_000),
    ];
    assert.equal(variantDifference(SAMPLE_GOLD, trio[0]!, trio[2]!)?.significant, true);
    const answers = permutations(trio).map((order) => recommendOn(order, { maxSizeBytes: 5_000_000 }));
    for (const r of answers) assert.deepEqual(r, answers[0]);
    assert.deepEqual(answers[0]?.variantIds, ['bert/fp32-optimized']);
    assert.match(answers[0]?.reason ?? '', /^bert\/fp32-optimized is the most accurate within noise of the 3 variants that meet size ≤ 5\.00 MB: /);
    assert.match(answers[0]?.reason ?? '', /bert\/fp32 and bert\/fp32-optimized are indistinguishable in accuracy: 5 of 872 predictions differ \(McNemar p = 0\.06\)\.$/);
  });

  it('random reports: every permutation gives the same recommendation and claims; the pick is never significantly less accurate than a fitting variant', () => {
    const random = seededRandom(26);
    const ids = ['bert/fp32', 'bert/fp32-optimized', 'bert/int8-dynamic', 'albert/fp32', 'albert/int8-dynamic'];
    const pick = <T>(r: Random, xs: readonly T[]): T => xs[r.below(xs.length)] as T;
    for (let trial = 0; trial < 40; trial++) {
      const count = 3 + random.below(3);
      const chosen = ids.slice(0, count);
      const trialVariants = chosen.map((id) => {
        const wrong = new Set<number>();
        const rate = 0.17 + random.below(6) / 100;
        for (let i = 0; i < 872; i++) if (random.next() < rate) wrong.add(i);
        return variantWith(id, wrong, pick(random, [1e6, 2e6, 2e6, 4e6, 8e6]), 1.8 + random.below(5) / 10, pick(random, [0.05, 0.3]));
      });
      const constraints: Constraints = pick(random, [{}, { maxSizeBytes: 5e6 }, { maxLatencyMs: 2.3 }, { minAccuracy: 0.78 }, { maxSizeBytes: 5e6, minAccuracy: 0.79 }]);
      const answers = permutations(trialVariants).map((order) => ({
        recommendation: recommendOn(order, constraints),
        claims: albertClaims({ ...sampleReport(), variants: order, gold: SAMPLE_GOLD }),
      }));
      for (const a of answers) assert.deepEqual(a, answers[0], `trial ${trial}`);
      const best = trialVariants.find((v) => v.id === answers[0]?.recommendation.variantIds[0]);
      if (answers[0]?.recommendation.kind !== 'best-fit' || constraints.minAccuracy !== undefined || best === undefined) continue;
      const fits = (v: CompletedVariant) => v.sizeBytes <= (constraints.maxSizeBytes ?? Infinity) && (v.latency[0]?.p50Ms ?? 0) <= (constraints.maxLatencyMs ?? Infinity);
      for (const other of trialVariants.filter(fits)) {
        const d = variantDifference(SAMPLE_GOLD, other, best);
        assert.ok(!(d?.significant === true && d.difference > 0), `trial ${trial}: ${best.id} is significantly less accurate than ${other.id}`);
      }
    }
  });
});

describe('the recommendation at the real inputs (compare --real-inputs)', () => {
  /** The sample with real-input costs a third of the grid's p50 (bert/int8-dynamic 0.640 ms, albert/int8-dynamic 0.683 ms), one of them edited. */
  function withRealInputs(id: string, edit: (c: { meanMs: number; spreadMs: number; state: string }) => void): VariantResult[] {
    const r = sampleDeploymentReport();
    const v = r.variants.find((x) => x.id === id);
    const c = v?.state === 'completed' ? v.deployment?.realInputs?.[0] : undefined;
    assert.ok(c?.state === 'measured', `${id} has no measured real-input cost`);
    edit(c);
    return r.variants as VariantResult[];
  }

  it('judges latency on the real-input mean when every variant has one, and says so; on the grid otherwise', () => {
    // bert/fp32 is the slowest on the grid (p50 3.10 ms) but made the cheapest at the real inputs.
    const cheap = withRealInputs('bert/fp32', (c) => { c.meanMs = 0.2; });
    const r = recommendOn(cheap, { maxLatencyMs: 0.5 });
    assert.deepEqual(r.variantIds, ['bert/fp32']);
    assert.equal(r.reason, 'bert/fp32 is the only variant that meets mean per request at the real inputs ≤ 0.500 ms:'
      + ' accuracy 79.13, n=872, 19.15 MB, mean 0.200 ms per request at the real inputs.'
      + " Latency is judged on the mean per request at the task's real inputs (compare --real-inputs), not on the grid.");
    const grid = recommendOn(variants, { maxLatencyMs: 0.5 });
    assert.equal(grid.kind, 'no-fit');
    assert.match(grid.reason, /^No variant meets p50 ≤ 0\.500 ms; the nearest miss is bert\/int8-dynamic \(.*p50 1\.92 ms at b1 s128\)/);
    assert.doesNotMatch(grid.reason, /real inputs/);
    // One variant without a measured cost: the grid for all, since a mean at the real inputs and a padded p50 are not one figure.
    const partly = withRealInputs('bert/fp32', (c) => { c.state = 'failed'; });
    assert.deepEqual(recommendOn(partly, { maxLatencyMs: 0.5 }), grid);
    assert.deepEqual(recommendOn(partly, {}), recommendOn(variants, {}));
    // Latency left out (shards timed at once): the limit dropped is named as it would have been judged, and nothing claims a latency judgement.
    const blind = recommend(cheap, { maxLatencyMs: 0.5 }, SAMPLE_GOLD, { latencyNotComparable: 'overlapping shards' });
    assert.match(blind.reason, /the latency limit \(mean per request at the real inputs ≤ 0\.500 ms\) is not applied/);
    assert.doesNotMatch(blind.reason, /Latency is judged/);
  });

  it('real-input means closer than the noise tie, by the rule p50s follow; every ordering gives the same answer', () => {
    // bert/int8-dynamic is in the Pareto set only as the fastest (0.640 ms against albert/int8-dynamic's 0.683 ms).
    const noisy = withRealInputs('bert/int8-dynamic', (c) => { c.spreadMs = 0.05; });
    const tied = recommendOn(noisy, {});
    assert.deepEqual(tied.variantIds, ['albert/int8-dynamic']);
    assert.match(tied.reason, /bert\/int8-dynamic and albert\/int8-dynamic are indistinguishable in latency: mean 0\.640 vs 0\.683 ms per request at the real inputs, within the noise of ±0\.050 ms/);
    const apart = recommendOn(withRealInputs('bert/int8-dynamic', (c) => { c.spreadMs = 0.04; }), {});
    assert.deepEqual([...apart.variantIds].sort(), ['albert/int8-dynamic', 'bert/int8-dynamic']);
    const completed = noisy.filter((v) => v.state === 'completed');
    for (const limits of [{}, { maxLatencyMs: 0.7 }, { maxSizeBytes: 6e6 }]) {
      const answers = permutations(completed).map((order) => recommendOn(order, limits));
      for (const a of answers) assert.deepEqual(a, answers[0]);
    }
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
