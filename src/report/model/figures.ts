import type { RealInputCost } from './deployment-types.js';
import type { CompletedVariant, LatencyPoint, MetricResult, Report, VariantResult } from './types.js';

/** The GLUE metrics that are a task's score by combining two others: MRPC and QQP's, STS-B's. */
export const COMBINED_SCORE_KEYS: readonly string[] = ['acc_and_f1', 'pearson_and_spearman'];

/**
 * The headline metric: the task's GLUE score, the one figure every verdict ranks, tests and gates
 * on. A task scored by combining two metrics has that combination among its metrics (MRPC and QQP
 * the mean of accuracy and F1, STS-B of Pearson and Spearman); every other task has one metric,
 * which is its score (CoLA MCC, accuracy elsewhere). The suite's taskScore is the same figure.
 */
export function headlineMetric<M extends { readonly key: string }>(metrics: readonly M[]): M | undefined {
  return metrics.find((m) => COMBINED_SCORE_KEYS.includes(m.key)) ?? metrics[0];
}

/**
 * A completed variant with the figures every summary ranks by besides its size: the headline
 * metric, and the first latency grid point (the smallest batch and sequence, as compare orders the grid).
 */
export interface Headline {
  readonly variant: CompletedVariant;
  readonly metric: MetricResult | undefined;
  readonly point: LatencyPoint | undefined;
  /**
   * The first device's mean per request at the task's real inputs, set by costHeadlines only: the
   * recommendation then judges latency on it instead of `point`'s p50 (the charts and claims judge the grid).
   */
  readonly realInputs?: MeasuredRealInputCost;
}

/** A real-input cost that was measured (compare --real-inputs). */
export type MeasuredRealInputCost = Extract<RealInputCost, { readonly state: 'measured' }>;

export function isCompleted(v: VariantResult): v is CompletedVariant {
  return v.state === 'completed';
}

function headline(v: CompletedVariant): Headline {
  return { variant: v, metric: headlineMetric(v.metrics), point: v.latency[0] };
}

export function completedHeadlines(variants: readonly VariantResult[]): Headline[] {
  return variants.filter(isCompleted).map(headline);
}

/** The first device's real-input cost, when it was measured. */
function measuredRealInputs(v: CompletedVariant): MeasuredRealInputCost | undefined {
  const c = v.deployment?.realInputs?.[0];
  return c?.state === 'measured' ? c : undefined;
}

/**
 * The headlines the recommendation judges: each with its real-input cost when every completed
 * variant has one measured, else none (the p50 at the grid's first point is judged for all). All or
 * none, decided on the set, whatever its order: a real-input mean and a padded grid p50 are not the same figure.
 */
export function costHeadlines(variants: readonly VariantResult[]): Headline[] {
  const headlines = completedHeadlines(variants);
  const real = headlines.flatMap((h) => {
    const realInputs = measuredRealInputs(h.variant);
    return realInputs === undefined ? [] : [{ ...h, realInputs }];
  });
  return real.length > 0 && real.length === headlines.length ? real : headlines;
}

export function samePoint(a: LatencyPoint, b: LatencyPoint): boolean {
  return a.batchSize === b.batchSize && a.sequenceLength === b.sequenceLength;
}

/** The fp32 variant of the same model: the reference every delta is measured against. */
export function fp32Of(report: Pick<Report, 'variants'>, model: string): CompletedVariant | undefined {
  return report.variants.find((v): v is CompletedVariant => v.model === model && v.variant === 'fp32' && v.state === 'completed');
}
