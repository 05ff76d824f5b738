import { seededRandom } from '../../src/util/random.js';

/**
 * The share of the bootstrap `draws` inside [low, high]. A percentile interval at level L holds
 * exactly L of the draws it was read from when no two draws tie: 950 of 1000 at 95%, 900 at 90%,
 * so this pins the level where a width check (a 90% interval is only 16% narrower) would not.
 */
export function shareInside(draws: Float64Array, interval: { readonly low: number; readonly high: number }): number {
  return draws.filter((d) => d >= interval.low && d <= interval.high).length / draws.length;
}

/** A 95% interval read from 1000 tie-free draws holds 950 of them: 949 to 951 allows for rounding at the ends. */
export const holds95 = (draws: Float64Array, interval: { readonly low: number; readonly high: number }): boolean =>
  Math.abs(shareInside(draws, interval) - 0.95) <= 0.0015;

/** STS-B-like gold scores and two noisy predictions of them: continuous, so no two bootstrap draws of Pearson tie. */
export function continuousScores(n: number, seed: number): { gold: Float64Array; a: Float64Array; b: Float64Array } {
  const random = seededRandom(seed);
  const gold = Float64Array.from({ length: n }, () => 5 * random.next());
  const noisy = (spread: number) => gold.map((g) => g + spread * (random.next() - 0.5));
  return { gold, a: noisy(2), b: noisy(3) };
}
