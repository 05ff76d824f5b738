import { costHeadlines, type Headline } from '../model/figures.js';
import { mb, ms, points } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import { COST, DIMENSIONS, judge, judgedOrder, type Dimension } from './judge.js';
import { costComparators, frontTies, paretoFrontWith } from './pareto.js';
import type { Constraints, Recommendation, RowValues, VariantResult } from '../model/types.js';

const SUPERLATIVE: Record<Dimension, string> = { accuracy: 'most accurate', size: 'smallest', latency: 'fastest' };

interface Limit {
  readonly dimension: Dimension;
  readonly text: string;
  /** How far a variant is past the limit, relative to the limit: 0 when within, Infinity when the figure is missing. */
  readonly excess: (h: Headline) => number;
  readonly missText: (h: Headline) => string;
}

/**
 * The best completed variant under the constraints, or the Pareto set (accuracy up, size down,
 * latency down) when there are none. "Best" is judged on the first figure the constraints leave
 * free (accuracy, then size, then latency; accuracy when all three are bounded), ties broken by
 * the others in that order: a size or latency budget asks for the most accurate variant in it, an
 * accuracy floor for the smallest variant above it. Differences within noise are ties (judge.ts:
 * the headline by its paired test on `gold` and the variants' predictions, latency by the
 * between-round spread), and the reason names every tie that changed the outcome. Latency is the
 * mean per request at the task's real inputs when every completed variant has one measured, else
 * the p50 at the grid's first point (costHeadlines), and the reason says which. Everything is
 * decided on the set of variants and printed in one fixed order (canonicalOrder), so the order the
 * variants come in changes nothing.
 */
export function recommend(variants: readonly VariantResult[], constraints: Constraints, gold?: RowValues, options: RecommendOptions = {}): Recommendation {
  const blind = options.latencyNotComparable;
  if (blind === undefined) return recommendOn(DIMENSIONS, variants, constraints, gold);
  const { maxLatencyMs, ...rest } = constraints;
  const r = recommendOn(DIMENSIONS.filter((d) => d !== 'latency'), variants, rest, gold);
  const real = costHeadlines(variants).some((h) => h.realInputs !== undefined);
  const dropped = maxLatencyMs === undefined ? '' : `; the latency limit (${latencyLimitText(real, maxLatencyMs)}) is not applied`;
  return { ...r, reason: `Judged on accuracy and size only: latency is not comparable here (${blind})${dropped}. ${r.reason}` };
}

export interface RecommendOptions {
  /** Why the latencies may not be compared with each other (shards timed at once on one machine): the recommendation leaves latency out. */
  readonly latencyNotComparable?: string;
}

function recommendOn(dims: readonly Dimension[], variants: readonly VariantResult[], constraints: Constraints, gold: Gold): Recommendation {
  const candidates = canonicalOrder(costHeadlines(variants));
  if (candidates.length === 0) {
    return { kind: 'no-fit', variantIds: [], reason: 'No variant completed, so there is nothing to recommend; the failed variants list their errors.' };
  }
  const r = recommendAmong(dims, candidates, constraints, gold);
  // The figures read "mean … per request at the real inputs", but the report's tables lead with the grid: say it once more.
  if (!dims.includes('latency') || !candidates.some((h) => h.realInputs !== undefined)) return r;
  return { ...r, reason: `${r.reason} Latency is judged on the mean per request at the task's real inputs (compare --real-inputs), not on the grid.` };
}

function recommendAmong(dims: readonly Dimension[], candidates: readonly Headline[], constraints: Constraints, gold: Gold): Recommendation {
  const limits = limitsOf(constraints, metricName(candidates), candidates.some((h) => h.realInputs !== undefined));
  if (limits.length === 0) return paretoRecommendation(dims, candidates, gold);

  const fitting = candidates.filter((h) => limits.every((l) => l.excess(h) === 0));
  const limitsText = joinAnd(limits.map((l) => l.text));
  if (fitting.length === 0) {
    const totalExcess = (h: Headline) => limits.reduce((sum, l) => sum + l.excess(h), 0);
    const nearest = candidates.reduce((a, b) => (totalExcess(b) < totalExcess(a) ? b : a));
    if (!Number.isFinite(totalExcess(nearest))) {
      return { kind: 'no-fit', variantIds: [], reason: `No variant meets ${limitsText}: none has all the figures these limits need.` };
    }
    const misses = limits.filter((l) => l.excess(nearest) > 0).map((l) => l.missText(nearest));
    return {
      kind: 'no-fit',
      variantIds: [],
      reason: `No variant meets ${limitsText}; the nearest miss is ${nearest.variant.id} (${figuresText(nearest)}), ${joinAnd(misses)}.`,
    };
  }

  const bounded = new Set(limits.map((l) => l.dimension));
  const objective = dims.find((d) => !bounded.has(d)) ?? 'accuracy';
  const order = [objective, ...dims.filter((d) => d !== objective)];
  const best = bestOf(gold, order, fitting);
  // A variant whose raw figure beat the best's but only within noise: the tie let the next figure decide.
  const ties = fitting.flatMap((h) => {
    const raw = (COST[objective](h) ?? Infinity) - (COST[objective](best) ?? Infinity);
    const tie = raw < 0 ? judge(gold, objective, h, best).tie : undefined;
    return tie === undefined ? [] : [tie];
  });
  const superlative = `${SUPERLATIVE[objective]}${ties.length > 0 ? ' within noise' : ''}`;
  const of = fitting.length === 1 ? 'the only variant' : `the ${superlative} of the ${fitting.length} variants`;
  return {
    kind: 'best-fit',
    variantIds: [best.variant.id],
    reason: `${best.variant.id} is ${of} that ${fitting.length === 1 ? 'meets' : 'meet'} ${limitsText}: ${figuresText(best)}.${tiesText(ties)}`,
  };
}

type Gold = RowValues | undefined;

function paretoRecommendation(dims: readonly Dimension[], candidates: readonly Headline[], gold: Gold): Recommendation {
  const complete = candidates.filter((h) => dims.every((d) => COST[d](h) !== undefined));
  const front = paretoFrontWith(complete, dims.map((d) => judgedOrder(gold, d)));
  const left = candidates.length - complete.length;
  const leftOut = left === 0 ? '' : `; ${left} variant${left === 1 ? '' : 's'} without all ${dims.length === 3 ? 'three' : 'these'} figures left out`;
  if (front.length === 0) {
    return { kind: 'no-fit', variantIds: [], reason: `No constraints were given and no variant has ${joinAnd(dims)} figures to compare${leftOut}.` };
  }
  const listed = front.map((h) => `${h.variant.id} (${figuresText(h)})`).join(', ');
  const count = front.length === 1 ? '1 variant is' : `${front.length} variants are`;
  return {
    kind: 'pareto',
    variantIds: front.map((h) => h.variant.id),
    reason: `With no constraints given, ${count} Pareto-optimal`
      + ` (no other variant is at least as good on ${joinAnd(dims)} and better on one beyond noise): ${listed}${leftOut}.`
      + tiesText(frontTiesOf(dims, complete, front, gold)),
  };
}

function frontTiesOf(dims: readonly Dimension[], complete: readonly Headline[], front: readonly Headline[], gold: Gold): string[] {
  const raw = costComparators(dims.map((d) => (h: Headline) => COST[d](h) ?? Infinity));
  return frontTies(complete, front, raw, dims.map((d) => judgedOrder(gold, d)), (i, x, y) => judge(gold, dims[i] as Dimension, x, y).tie);
}

function tiesText(ties: readonly string[]): string {
  return ties.length === 0 ? '' : ` Differences within noise count as ties: ${ties.join('; ')}.`;
}

/**
 * The best of `fitting` on the dimensions in `order`, decided on the set: on each dimension in turn
 * only the variants that no other remaining variant beats beyond noise stay, and the raw figures in
 * `order` pick among the last ones left. Ties within noise are not transitive (A ties B, B ties C,
 * A beats C), so a pairwise walk down a list could hand the objective from A to C by way of B; here
 * C is out at the first dimension, and the pick is never beaten beyond noise on the objective by a
 * variant that fits. Someone always stays: beating beyond noise goes with the raw figures, so it has no cycles.
 */
function bestOf(gold: Gold, order: readonly Dimension[], fitting: readonly Headline[]): Headline {
  let kept = fitting;
  for (const d of order) kept = kept.filter((h) => !kept.some((g) => g !== h && judge(gold, d, g, h).order < 0));
  return canonicalOrder(kept, order)[0] ?? (fitting[0] as Headline);
}

/**
 * By the raw figures, best first, on `dims` in turn (accuracy down, size up, latency up; missing
 * figures last), then by id: one order whatever the input's.
 */
function canonicalOrder(candidates: readonly Headline[], dims: readonly Dimension[] = DIMENSIONS): Headline[] {
  const raw = (d: Dimension, h: Headline) => COST[d](h) ?? Infinity;
  return [...candidates].sort((a, b) => {
    for (const d of dims) {
      const difference = raw(d, a) - raw(d, b);
      if (difference !== 0 && !Number.isNaN(difference)) return difference;
    }
    return a.variant.id < b.variant.id ? -1 : a.variant.id > b.variant.id ? 1 : 0;
  });
}

function limitsOf(c: Constraints, metric: string, real: boolean): Limit[] {
  const limits: Limit[] = [];
  if (c.maxSizeBytes !== undefined) {
    const max = c.maxSizeBytes;
    limits.push({
      dimension: 'size',
      text: `size ≤ ${mb(max)} MB`,
      excess: (h) => Math.max(0, (h.variant.sizeBytes - max) / max),
      missText: (h) => `${mb(h.variant.sizeBytes - max)} MB over the size limit`,
    });
  }
  if (c.maxLatencyMs !== undefined) {
    const max = c.maxLatencyMs;
    limits.push({
      dimension: 'latency',
      text: latencyLimitText(real, max),
      excess: (h) => {
        const latency = COST.latency(h);
        return latency === undefined ? Infinity : Math.max(0, (latency - max) / max);
      },
      missText: (h) => `${ms((COST.latency(h) ?? NaN) - max)} ms over the latency limit`,
    });
  }
  if (c.minAccuracy !== undefined) {
    const min = c.minAccuracy;
    limits.push({
      dimension: 'accuracy',
      text: `${metric} ≥ ${points(min)}`,
      excess: (h) => (h.metric === undefined ? Infinity : Math.max(0, (min - h.metric.value) / (Math.abs(min) || 1))),
      missText: (h) => `${points(min - (h.metric?.value ?? NaN))} points under the ${metric} floor`,
    });
  }
  return limits;
}

/** --max-latency as judged: on the real-input means when the headlines carry them (costHeadlines), else on the grid's p50. */
function latencyLimitText(real: boolean, max: number): string {
  return `${real ? 'mean per request at the real inputs' : 'p50'} ≤ ${ms(max)} ms`;
}

/** "accuracy 79.13, n=872, 5.02 MB, p50 1.85 ms at b1 s128" (or "mean 0.62 ms per request at the real inputs") — whatever the variant has. */
function figuresText(h: Headline): string {
  const parts: string[] = [];
  if (h.metric !== undefined) parts.push(`${h.metric.key} ${points(h.metric.value)}, n=${h.metric.examples}`);
  parts.push(`${mb(h.variant.sizeBytes)} MB`);
  if (h.realInputs !== undefined) parts.push(`mean ${ms(h.realInputs.meanMs)} ms per request at the real inputs`);
  else if (h.point !== undefined) parts.push(`p50 ${ms(h.point.p50Ms)} ms at ${gridLabel(h.point)}`);
  return parts.join(', ');
}

function metricName(candidates: readonly Headline[]): string {
  return candidates.find((h) => h.metric !== undefined)?.metric?.key ?? 'accuracy';
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
