import type { FailedVariant, MetricResult, RowValues } from '../model/types.js';

/** What agreement needs of a variant: which model it is a variant of, and what it predicted per row. */
interface Predicting {
  readonly model: string;
  readonly variant: string;
  readonly metrics: readonly MetricResult[];
  readonly predictions?: RowValues;
}

/** The share of rows where `mine` equals `reference` (labels, or scores for a regression task); undefined without both. */
function agreement(mine: RowValues | undefined, reference: RowValues | undefined): number | undefined {
  const a = mine?.labels ?? mine?.scores;
  const b = reference?.labels ?? reference?.scores;
  if (a === undefined || b === undefined || a.length === 0) return undefined;
  return a.filter((p, i) => p === b[i]).length / a.length;
}

/**
 * Each variant with predictions gains, on its first metric, the share of them equal to its model's
 * fp32 predictions (fp32 itself: 1). compare adds it as it evaluates; merge recomputes it over the
 * whole run, since a shard without its model's fp32 had none to give.
 */
export function withAgreementWithFp32<V extends FailedVariant | Predicting>(variants: readonly V[]): V[] {
  const fp32Of = (model: string) => variants.find((r): r is V & Predicting => 'metrics' in r && r.model === model && r.variant === 'fp32');
  return variants.map((v) => {
    if (!('metrics' in v)) return v;
    const share = agreement(v.predictions, fp32Of(v.model)?.predictions);
    if (share === undefined) return v;
    return { ...v, metrics: v.metrics.map((m, i) => (i === 0 ? { ...m, agreementWithFp32: share } : m)) };
  });
}
