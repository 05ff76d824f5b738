import type { LatencyPoint } from '../model/facts.js';

/** The noise rule every latency verdict uses: a p50 difference counts only beyond both runs' noise. */

/**
 * The 95% margin of error of a latency point in ms. rmePercent is tinybench's margin on the mean;
 * we apply it to p50 differences as well, since both are estimated from the same samples.
 */
export function marginMs(p: LatencyPoint): number {
  return (p.rmePercent / 100) * p.meanMs;
}

/**
 * The between-round spread of a point's p50 (max - min of the rounds' p50s), in ms. Version-1
 * reports timed one round and have none: it counts as 0 there, leaving the margin of error.
 */
export function spreadMs(p: LatencyPoint): number {
  const spread = (p as LatencyPoint & { readonly spreadMs?: number }).spreadMs;
  return typeof spread === 'number' && Number.isFinite(spread) ? spread : 0;
}

/**
 * Whether p50 `b` differs from `a` beyond noise: by more than the larger between-round spread of
 * the two (rounds in separate processes, in alternating order) and by more than both runs' margins
 * of error combined in quadrature. Anything less is a tie.
 */
export function beyondNoise(a: LatencyPoint, b: LatencyPoint): boolean {
  const difference = Math.abs(b.p50Ms - a.p50Ms);
  return difference > Math.max(spreadMs(a), spreadMs(b)) && difference > Math.hypot(marginMs(a), marginMs(b));
}

/** The noise a p50 difference must exceed (see beyondNoise), in ms. */
export function noiseMs(a: LatencyPoint, b: LatencyPoint): number {
  return Math.max(spreadMs(a), spreadMs(b), Math.hypot(marginMs(a), marginMs(b)));
}
