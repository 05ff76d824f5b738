/** Axis ticks at 1, 2 or 5 x 10^k, the steps people read without effort. */
export interface Ticks {
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
  /** Decimals that show every tick distinctly. */
  readonly decimals: number;
}

export function niceTicks(lo: number, hi: number, target = 6): Ticks {
  // An empty chart (every variant failed) still gets an axis.
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return niceTicks(0, 1, target);
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, target);
  }
  const rough = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const values: number[] = [];
  // Counting in whole steps avoids the drift of adding a float step repeatedly.
  for (let i = 0; min + i * step <= max + step / 2; i++) values.push(min + i * step);
  return { min, max, values, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}
