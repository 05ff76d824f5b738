import { MagnitudeHistogram } from './histogram.js';
import { Extremes } from './minmax.js';
import type { RangeEstimator } from './range-estimator.js';

/** Levels a threshold's magnitude range is quantized into: the positive half of int8, as TensorRT's calibrator. */
const ENTROPY_LEVELS = 128;
/** The search runs over at most this many bins (pairs merged exactly), which bounds its cost. */
const SEARCH_BINS = 2048;
/** Stands in for an empty quantized bin where P has mass, so the divergence stays finite (a heavy charge, as the reference's smoothing). */
const EMPTY_BIN = 1e-12;

/**
 * KL(P || Q) for clipping the histogram at bin `i`, as TensorRT's calibrator defines it: P is the
 * histogram up to i with everything beyond added to its last bin; Q is the unclipped bins up to
 * i quantized into `levels` groups (the last group takes the remainder), each group's count
 * spread evenly over the bins P holds mass in. Q leaves the clipped mass out: that is the
 * information a cut loses, and without it the tightest cut would always win.
 */
function clippingDivergence(counts: Float64Array, i: number, levels: number, beyond: number): number {
  let total = beyond;
  let kept = 0;
  for (let j = 0; j < i; j++) kept += counts[j] as number;
  total += kept;
  const pAt = (j: number) => (counts[j] as number) + (j === i - 1 ? beyond : 0);
  const perGroup = Math.floor(i / levels);
  let kl = 0;
  for (let g = 0; g < levels; g++) {
    const start = g * perGroup;
    const end = g === levels - 1 ? i : start + perGroup;
    let sum = 0;
    let holding = 0;
    for (let j = start; j < end; j++) {
      sum += counts[j] as number;
      if (pAt(j) > 0) holding++;
    }
    const q = Math.max(sum / holding / kept, EMPTY_BIN);
    for (let j = start; j < end; j++) {
      const p = pAt(j) / total;
      if (p > 0) kl += p * Math.log(p / q);
    }
  }
  return kl;
}

/**
 * The magnitude threshold whose clipping loses the least information (TensorRT's entropy
 * calibration): try every cut from `levels` bins to the last used one, keep the one with the
 * smallest KL divergence. Returns the upper edge of the last kept bin.
 */
export function entropyThreshold(hist: MagnitudeHistogram, levels = ENTROPY_LEVELS): number {
  let counts = hist.counts.slice(0, hist.usedBins());
  let width = hist.width;
  while (counts.length > SEARCH_BINS) {
    const merged = new Float64Array(Math.ceil(counts.length / 2));
    for (let j = 0; j < counts.length; j++) merged[j >> 1] = (merged[j >> 1] as number) + (counts[j] as number);
    counts = merged;
    width *= 2;
  }
  if (counts.length <= levels) return counts.length * width;
  let beyond = 0;
  for (let j = levels; j < counts.length; j++) beyond += counts[j] as number;
  let best = counts.length;
  let bestKl = Infinity;
  for (let i = levels; i <= counts.length; i++) {
    const kl = clippingDivergence(counts, i, levels, beyond);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
    beyond -= counts[i] ?? 0;
  }
  return best * width;
}

/** The entropy threshold T on |x|, applied to the observed range: [max(min, -T), min(max, T)]. */
export function entropyEstimator(): RangeEstimator {
  const magnitudes = new MagnitudeHistogram();
  const seen = new Extremes();
  return {
    observe(values) {
      seen.add(values);
      magnitudes.add(values);
    },
    range() {
      const t = entropyThreshold(magnitudes);
      const o = seen.get();
      return { min: Math.max(o.min, -t), max: Math.min(o.max, t) };
    },
    observed: () => seen.get(),
  };
}
