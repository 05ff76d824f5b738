import type { CompletedVariant, LatencyPoint, MetricResult, Report, VariantResult } from './types.js';

/**
 * A completed variant with the figures every summary ranks by besides its size: the first metric,
 * and the first latency grid point (the smallest batch and sequence, as compare orders the grid).
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
  return { variant: v, metric: v.metrics[0], point: v.latency[0] };
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
