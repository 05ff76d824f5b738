import { points } from '../../util/format.js';
import type { LatencyPoint } from './facts.js';
import type { MetricResult } from './types.js';

/** The report's own units: a latency grid point's label, and a metric with its interval and sample size. */

export function gridLabel(p: Pick<LatencyPoint, 'batchSize' | 'sequenceLength'>): string {
  return `b${p.batchSize} s${p.sequenceLength}`;
}

/** "79.13 (76.4–81.8), n=872": the value with its 95% interval and sample size. */
export function metricWithInterval(m: MetricResult): string {
  return `${points(m.value)} (${points(m.ci95Low, 1)}–${points(m.ci95High, 1)}), n=${m.examples}`;
}
