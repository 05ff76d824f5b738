const HISTOGRAM_BINS = 4096;

/**
 * A histogram of non-negative magnitudes that streams over batches of any size and range. Bins
 * are anchored at 0 and all share one width; when a batch reaches past the last bin, the width
 * doubles and neighbouring pairs merge. Merging pairs is exact (no counts are redistributed by
 * guesswork), and there is no fixed data range that a later batch could overflow, which is what
 * makes fixed-range histograms fail on variable-length calibration batches.
 */
export class MagnitudeHistogram {
  readonly counts: Float64Array;
  private binWidth = 0;
  private n = 0;

  constructor(readonly bins = HISTOGRAM_BINS) {
    if (!Number.isInteger(bins) || bins < 2 || bins % 2 !== 0) throw new RangeError(`histogram bins must be an even integer >= 2, got ${bins}`);
    this.counts = new Float64Array(bins);
  }

  /** Width of one bin; 0 until a non-zero magnitude has been seen. */
  get width(): number {
    return this.binWidth;
  }

  get total(): number {
    return this.n;
  }

  /** Adds |v| of every finite v for which `take(v)` holds; NaN and infinities are skipped. */
  add(values: Float32Array, take: (v: number) => boolean = () => true): void {
    let top = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (Number.isFinite(v) && take(v)) top = Math.max(top, Math.abs(v));
    }
    this.cover(top);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v) || !take(v)) continue;
      const b = this.binOf(Math.abs(v));
      this.counts[b] = (this.counts[b] as number) + 1;
      this.n++;
    }
  }

  /** The value t with `count` of the magnitudes above it, interpolated linearly inside its bin. */
  valueWithCountAbove(count: number): number {
    let above = 0;
    for (let b = this.bins - 1; b >= 0; b--) {
      const c = this.counts[b] as number;
      if (above + c > count) return (b + 1 - (count - above) / c) * this.binWidth;
      above += c;
    }
    return 0;
  }

  /** One past the last non-empty bin. */
  usedBins(): number {
    let b = this.bins;
    while (b > 0 && this.counts[b - 1] === 0) b--;
    return b;
  }

  private binOf(magnitude: number): number {
    if (this.binWidth === 0) return 0;
    return Math.min(this.bins - 1, Math.floor(magnitude / this.binWidth));
  }

  /** Widens the bins until `top` falls inside the last one. */
  private cover(top: number): void {
    if (top === 0) return;
    if (this.binWidth === 0) {
      // Only zeros so far: they sit in bin 0 whatever the width becomes.
      this.binWidth = top / this.bins;
      return;
    }
    while (top > this.binWidth * this.bins) {
      const half = this.bins / 2;
      for (let i = 0; i < half; i++) this.counts[i] = (this.counts[2 * i] as number) + (this.counts[2 * i + 1] as number);
      this.counts.fill(0, half);
      this.binWidth *= 2;
    }
  }
}
