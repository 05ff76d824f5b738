import { samePoint, type Headline } from '../model/figures.js';
import { beyondNoise, noiseMs, realInputsBeyondNoise, realInputsNoiseMs } from './noise.js';
import { ms } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import { accuracyTieText, variantDifference } from './paired.js';
import type { Comparator } from './pareto.js';
import type { RowValues } from '../model/types.js';

export type Dimension = 'accuracy' | 'size' | 'latency';
export const DIMENSIONS: readonly Dimension[] = ['accuracy', 'size', 'latency'];

/** Each figure as a cost (smaller is better); undefined where the variant lacks it. */
export const COST: Record<Dimension, (h: Headline) => number | undefined> = {
  accuracy: (h) => (h.metric === undefined ? undefined : -h.metric.value),
  size: (h) => h.variant.sizeBytes,
  latency: (h) => h.realInputs?.meanMs ?? h.point?.p50Ms,
};

export interface Judgement {
  /** Negative when `a` is better, positive when `b` is, 0 for a tie (equal, or different within noise). */
  readonly order: number;
  /** Set when the figures differ but only within noise: the sentence that says so. */
  readonly tie: string | undefined;
}

/**
 * `a` against `b` on one dimension, differences within noise counted as ties: accuracy by the
 * paired test on the report's per-example predictions (the raw figures where there are none, as in
 * version 1), latency by beyondNoise (realInputsBeyondNoise where both carry real-input means:
 * costHeadlines), size exactly (a file's size does not vary between runs).
 */
export function judge(gold: RowValues | undefined, dimension: Dimension, a: Headline, b: Headline): Judgement {
  const raw = (COST[dimension](a) ?? Infinity) - (COST[dimension](b) ?? Infinity);
  const exact = { order: Number.isNaN(raw) ? 0 : raw, tie: undefined };
  if (raw === 0 || Number.isNaN(raw) || !Number.isFinite(raw)) return exact;
  if (dimension === 'accuracy' && a.metric !== undefined) {
    const d = variantDifference(gold, a.variant, b.variant);
    return d === undefined || d.significant ? exact : { order: 0, tie: accuracyTieText(a.variant.id, b.variant.id, d, a.metric.key) };
  }
  const figures = dimension === 'latency' ? latencyWithinNoise(a, b) : undefined;
  return figures === undefined ? exact : { order: 0, tie: `${a.variant.id} and ${b.variant.id} are indistinguishable in latency: ${figures}` };
}

/** The two latencies and the noise they are within, when they are; undefined when they differ beyond it or are not comparable. */
function latencyWithinNoise(a: Headline, b: Headline): string | undefined {
  if (a.realInputs !== undefined && b.realInputs !== undefined) {
    if (realInputsBeyondNoise(a.realInputs, b.realInputs)) return undefined;
    const noise = ms(realInputsNoiseMs(a.realInputs, b.realInputs));
    return `mean ${ms(a.realInputs.meanMs)} vs ${ms(b.realInputs.meanMs)} ms per request at the real inputs, within the noise of ±${noise} ms`;
  }
  if (a.point === undefined || b.point === undefined || !samePoint(a.point, b.point) || beyondNoise(a.point, b.point)) return undefined;
  return `p50 ${ms(a.point.p50Ms)} vs ${ms(b.point.p50Ms)} ms at ${gridLabel(a.point)}, within the noise of ±${ms(noiseMs(a.point, b.point))} ms`;
}

/**
 * judge's order on one dimension as a Comparator for paretoFrontWith: the one rule behind the
 * recommendation's Pareto set and the fronts circled in report.html's charts.
 */
export function judgedOrder(gold: RowValues | undefined, dimension: Dimension): Comparator<Headline> {
  return (a, b) => judge(gold, dimension, a, b).order;
}
