import type { LatencyPoint } from '../model/facts.js';
import type { MeasuredRealInputCost } from '../model/figures.js';

/**
 * The noise rule every latency verdict uses: a difference counts only beyond both runs' noise. The
 * same rule for a grid point's p50, a real-input mean (compare --real-inputs) and a tuned session's rounds (compare --tune).
 */

/** What the rule reads of a p50 measured over rounds: a grid point, or a set of compare --tune's rounds (RoundsFigures). */
export type NoisyP50 = Pick<LatencyPoint, 'p50Ms' | 'meanMs' | 'rmePercent'> & { readonly spreadMs?: number };

/**
 * The 95% margin of error of a latency point in ms. rmePercent is tinybench's margin on the mean;
 * we apply it to p50 differences as well, since both are estimated from the same samples.
 */
export function marginMs(p: NoisyP50): number {
  return (p.rmePercent / 100) * p.meanMs;
}

/**
 * The between-round spread of a point's p50 (max - min of the rounds' p50s), in ms. Version-1
 * reports timed one round and have none: it counts as 0 there, leaving the margin of error.
 */
export function spreadMs(p: NoisyP50): number {
  const spread = p.spreadMs;
  return typeof spread === 'number' && Number.isFinite(spread) ? spread : 0;
}

/**
 * Whether p50 `b` differs from `a` beyond noise: by more than the larger between-round spread of
 * the two (rounds in separate processes, in alternating order) and by more than both runs' margins
 * of error combined in quadrature. Anything less is a tie.
 */
export function beyondNoise(a: NoisyP50, b: NoisyP50): boolean {
  return Math.abs(b.p50Ms - a.p50Ms) > noiseMs(a, b);
}

/** The noise a p50 difference must exceed (see beyondNoise), in ms. */
export function noiseMs(a: NoisyP50, b: NoisyP50): number {
  return noiseOf(spreadMs(a), spreadMs(b), marginMs(a), marginMs(b));
}

/**
 * Whether two real-input means differ beyond noise, by beyondNoise's rule: by more than the larger
 * between-round spread (of the rounds' means) and more than both margins of error combined. Anything less is a tie.
 */
export function realInputsBeyondNoise(a: MeasuredRealInputCost, b: MeasuredRealInputCost): boolean {
  return Math.abs(b.meanMs - a.meanMs) > realInputsNoiseMs(a, b);
}

/** The noise a real-input mean difference must exceed (see realInputsBeyondNoise), in ms. */
export function realInputsNoiseMs(a: MeasuredRealInputCost, b: MeasuredRealInputCost): number {
  const margin = (c: MeasuredRealInputCost) => (c.rmePercent / 100) * c.meanMs;
  return noiseOf(a.spreadMs, b.spreadMs, margin(a), margin(b));
}

/** The larger spread, or the margins combined in quadrature where that is larger: beyond both means beyond this. */
function noiseOf(spreadA: number, spreadB: number, marginA: number, marginB: number): number {
  return Math.max(spreadA, spreadB, Math.hypot(marginA, marginB));
}
