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
}

export function isCompleted(v: VariantResult): v is CompletedVariant {
  return v.state === 'completed';
}

function headline(v: CompletedVariant): Headline {
  return { variant: v, metric: headlineMetric(v.metrics), point: v.latency[0] };
}

export function completedHeadlines(variants: readonly VariantResult[]): Headline[] {
  return variants.filter(isCompleted).map(headline);
}

export function samePoint(a: LatencyPoint, b: LatencyPoint): boolean {
  return a.batchSize === b.batchSize && a.sequenceLength === b.sequenceLength;
}

/** The fp32 variant of the same model: the reference every delta is measured against. */
export function fp32Of(report: Pick<Report, 'variants'>, model: string): CompletedVariant | undefined {
  return report.variants.find((v): v is CompletedVariant => v.model === model && v.variant === 'fp32' && v.state === 'completed');
}
