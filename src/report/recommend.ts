import { completedHeadlines, type Headline } from './figures.js';
import { gridLabel, mb, ms, points } from './format.js';
import { paretoFront } from './pareto.js';
import type { Constraints, Recommendation, VariantResult } from './types.js';

type Dimension = 'accuracy' | 'size' | 'latency';
const DIMENSIONS: readonly Dimension[] = ['accuracy', 'size', 'latency'];

/** Each figure as a cost (smaller is better); undefined where the variant lacks it. */
const COST: Record<Dimension, (h: Headline) => number | undefined> = {
  accuracy: (h) => (h.metric === undefined ? undefined : -h.metric.value),
  size: (h) => h.variant.sizeBytes,
  latency: (h) => h.point?.p50Ms,
};
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
 * accuracy floor for the smallest variant above it.
 */
export function recommend(variants: readonly VariantResult[], constraints: Constraints): Recommendation {
  const candidates = completedHeadlines(variants);
  if (candidates.length === 0) {
    return { kind: 'no-fit', variantIds: [], reason: 'No variant completed, so there is nothing to recommend; the failed variants list their errors.' };
  }
  const limits = limitsOf(constraints, metricName(candidates));
  if (limits.length === 0) return paretoRecommendation(candidates);

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
  const objective = DIMENSIONS.find((d) => !bounded.has(d)) ?? 'accuracy';
  const order = [objective, ...DIMENSIONS.filter((d) => d !== objective)];
  const best = fitting.reduce((a, b) => (compareBy(order, b, a) < 0 ? b : a));
  const of = fitting.length === 1 ? 'the only variant' : `the ${SUPERLATIVE[objective]} of the ${fitting.length} variants`;
  return {
    kind: 'best-fit',
    variantIds: [best.variant.id],
    reason: `${best.variant.id} is ${of} that ${fitting.length === 1 ? 'meets' : 'meet'} ${limitsText}: ${figuresText(best)}.`,
  };
}

function paretoRecommendation(candidates: readonly Headline[]): Recommendation {
  const complete = candidates.filter((h) => DIMENSIONS.every((d) => COST[d](h) !== undefined));
  const front = paretoFront(complete, DIMENSIONS.map((d) => (h: Headline) => COST[d](h) ?? Infinity));
  const left = candidates.length - complete.length;
  const leftOut = left === 0 ? '' : `; ${left} variant${left === 1 ? '' : 's'} without all three figures left out`;
  if (front.length === 0) {
    return { kind: 'no-fit', variantIds: [], reason: `No constraints were given and no variant has accuracy, size and latency figures to compare${leftOut}.` };
  }
  const listed = front.map((h) => `${h.variant.id} (${figuresText(h)})`).join(', ');
  const count = front.length === 1 ? '1 variant is' : `${front.length} variants are`;
  return {
    kind: 'pareto',
    variantIds: front.map((h) => h.variant.id),
    reason: `With no constraints given, ${count} Pareto-optimal`
      + ` (no other variant is at least as good on accuracy, size and latency and better on one): ${listed}${leftOut}.`,
  };
}

function compareBy(order: readonly Dimension[], a: Headline, b: Headline): number {
  for (const d of order) {
    const diff = (COST[d](a) ?? Infinity) - (COST[d](b) ?? Infinity);
    if (diff !== 0 && !Number.isNaN(diff)) return diff;
  }
  return 0;
}

function limitsOf(c: Constraints, metric: string): Limit[] {
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
      text: `p50 ≤ ${ms(max)} ms`,
      excess: (h) => (h.point === undefined ? Infinity : Math.max(0, (h.point.p50Ms - max) / max)),
      missText: (h) => `${ms((h.point?.p50Ms ?? NaN) - max)} ms over the latency limit`,
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

/** "accuracy 79.13, n=872, 5.02 MB, p50 1.85 ms at b1 s128" — whatever the variant has. */
function figuresText(h: Headline): string {
  const parts: string[] = [];
  if (h.metric !== undefined) parts.push(`${h.metric.key} ${points(h.metric.value)}, n=${h.metric.examples}`);
  parts.push(`${mb(h.variant.sizeBytes)} MB`);
  if (h.point !== undefined) parts.push(`p50 ${ms(h.point.p50Ms)} ms at ${gridLabel(h.point)}`);
  return parts.join(', ');
}

function metricName(candidates: readonly Headline[]): string {
  return candidates.find((h) => h.metric !== undefined)?.metric?.key ?? 'accuracy';
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
