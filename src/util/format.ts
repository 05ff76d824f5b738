/**
 * How numbers read in every report: sizes in MB (10^6 bytes, as file managers show them), latency
 * in ms, metrics x100 (GLUE's convention, so "points" are percentage points).
 */
const fixed = (x: number, digits: number): string => x.toFixed(digits);

/** Two decimals below 100 MB: int8 files of small models differ in the second. */
export function mb(bytes: number, digits?: number): string {
  const m = bytes / 1e6;
  return fixed(m, digits ?? (m >= 100 ? 1 : 2));
}

export function ms(x: number): string {
  return fixed(x, x < 1 ? 3 : x < 10 ? 2 : x < 100 ? 1 : 0);
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A metric value (a fraction) in points. */
export function points(fraction: number, digits = 2): string {
  return fixed(fraction * 100, digits);
}

export function percent(fraction: number, digits = 2): string {
  return `${fixed(fraction * 100, digits)}%`;
}

/** "+12.3", "-4.0", "0.0": a sign only where the rounded value has one. */
export function signed(x: number, digits: number): string {
  const s = fixed(x, digits);
  if (Number(s) === 0) return fixed(0, digits);
  return x > 0 ? `+${s}` : s;
}

export function gflop(flops: number): string {
  return fixed(flops / 1e9, 3);
}

export function relativeChangePercent(from: number, to: number): number {
  return ((to - from) / from) * 100;
}
