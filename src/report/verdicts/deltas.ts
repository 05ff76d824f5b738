import { fp32Of, headlineMetric, samePoint } from '../model/figures.js';
import { relativeChangePercent } from '../../util/format.js';
import type { CompletedVariant, LatencyPoint, PairedDifference, Report } from '../model/types.js';

/** A variant against its own model's fp32: what quantizing or optimizing bought and cost. */
export interface DeltasVsFp32 {
  readonly sizePercent: number;
  /** p50 change per grid point the fp32 variant also measured. */
  readonly p50Percent: ReadonlyArray<{ readonly point: LatencyPoint; readonly percent: number }>;
  /** In points (x100), on the headline metric (the task's score), when both have it. */
  readonly metricPoints: number | undefined;
  /** The paired test behind metricPoints, from the report (absent in version-1 reports). */
  readonly metricTest: PairedDifference | undefined;
}

/** undefined for the fp32 variant itself and for models whose fp32 variant did not complete. */
export function deltasVsFp32(report: Pick<Report, 'variants'>, v: CompletedVariant): DeltasVsFp32 | undefined {
  const ref = fp32Of(report, v.model);
  if (ref === undefined || ref.id === v.id) return undefined;
  const p50Percent = v.latency.flatMap((point) => {
    const base = ref.latency.find((p) => samePoint(p, point));
    return base === undefined ? [] : [{ point, percent: relativeChangePercent(base.p50Ms, point.p50Ms) }];
  });
  const metric = headlineMetric(v.metrics);
  const refMetric = metric === undefined ? undefined : ref.metrics.find((m) => m.key === metric.key);
  return {
    sizePercent: relativeChangePercent(ref.sizeBytes, v.sizeBytes),
    p50Percent,
    metricPoints: metric === undefined || refMetric === undefined ? undefined : (metric.value - refMetric.value) * 100,
    metricTest: metric?.differenceVsFp32,
  };
}
