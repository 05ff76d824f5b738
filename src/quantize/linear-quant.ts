/**
 * Affine quantization of float data: real = (q - zeroPoint) * scale. The conventions follow
 * onnxruntime's quantizer so files and figures compare: ranges always include 0 (zero padding
 * and ReLU zeros stay exact), symmetric int8 uses [-127, 127], reduced range is 7 bits for CPUs
 * whose u8s8 kernels can saturate, and rounding is half-to-even like numpy.
 */
export type QType = 'int8' | 'uint8';

export interface QScheme {
  readonly type: QType;
  readonly symmetric: boolean;
  readonly reduceRange: boolean;
}

interface QParams { readonly scale: number; readonly zeroPoint: number }

export function qRange({ type, symmetric, reduceRange }: QScheme): { readonly qmin: number; readonly qmax: number } {
  if (type === 'int8') {
    if (reduceRange) return { qmin: -64, qmax: 64 };
    return symmetric ? { qmin: -127, qmax: 127 } : { qmin: -128, qmax: 127 };
  }
  return reduceRange ? { qmin: 0, qmax: 127 } : { qmin: 0, qmax: 255 };
}

/** Round half to even, as numpy and onnxruntime's QuantizeLinear do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** min/max over the finite values only: a NaN or Inf in the data must not poison the range. */
function finiteRange(values: ArrayLike<number>, start = 0, end = values.length, stride = 1): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (let i = start; i < end; i += stride) {
    const v = values[i] as number;
    if (v < min && v !== -Infinity) min = v;
    else if (v > max && v !== Infinity) max = v;
  }
  return { min, max };
}

/**
 * Scale and zero point for the range [rmin, rmax] (widened to include 0). An empty range (all
 * zeros, or NaN bounds) gets scale 1, so zeros stay zeros and nothing divides by 0.
 */
export function qParams(rmin: number, rmax: number, scheme: QScheme): QParams {
  const { qmin, qmax } = qRange(scheme);
  let lo = Number.isFinite(rmin) ? Math.min(rmin, 0) : 0;
  let hi = Number.isFinite(rmax) ? Math.max(rmax, 0) : 0;
  if (scheme.symmetric) {
    const absMax = Math.max(-lo, hi);
    lo = -absMax;
    hi = absMax;
  }
  const scale = Math.fround((hi - lo) / (qmax - qmin));
  if (!(scale > 0) || !Number.isFinite(scale)) return { scale: 1, zeroPoint: scheme.symmetric ? roundHalfEven((qmin + qmax) / 2) : qmin };
  const zeroPoint = scheme.symmetric ? roundHalfEven((qmin + qmax) / 2) : Math.min(qmax, Math.max(qmin, roundHalfEven(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** One value to its code; NaN goes to the zero point (real 0), infinities saturate. */
function quantizeValue(v: number, p: QParams, qmin: number, qmax: number): number {
  if (Number.isNaN(v)) return p.zeroPoint;
  const q = roundHalfEven(v / p.scale) + p.zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

export interface QuantizedMatrix {
  readonly type: QType;
  readonly data: Int8Array | Uint8Array;
  /** One entry per tensor, or per channel along `axis`. */
  readonly scales: Float32Array;
  readonly zeroPoints: Int8Array | Uint8Array;
  readonly axis: 0 | 1 | null;
}

const codes = (type: QType, n: number): Int8Array | Uint8Array => (type === 'int8' ? new Int8Array(n) : new Uint8Array(n));

/**
 * Quantizes a row-major [rows, cols] matrix per tensor (axis null) or with one scale per row
 * (axis 0) or per column (axis 1).
 */
export function quantizeMatrix(values: Float32Array, rows: number, cols: number, scheme: QScheme, axis: 0 | 1 | null): QuantizedMatrix {
  const { qmin, qmax } = qRange(scheme);
  const channels = axis === null ? 1 : axis === 0 ? rows : cols;
  const params: QParams[] = [];
  for (let c = 0; c < channels; c++) {
    const r = axis === null ? finiteRange(values) : axis === 0 ? finiteRange(values, c * cols, (c + 1) * cols) : finiteRange(values, c, rows * cols, cols);
    params.push(qParams(r.min, r.max, scheme));
  }
  const data = codes(scheme.type, rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = params[axis === null ? 0 : axis === 0 ? i : j] as QParams;
      data[i * cols + j] = quantizeValue(values[i * cols + j] as number, p, qmin, qmax);
    }
  }
  const zeroPoints = codes(scheme.type, channels);
  params.forEach((p, c) => { zeroPoints[c] = p.zeroPoint; });
  return { type: scheme.type, data, scales: Float32Array.from(params, (p) => p.scale), zeroPoints, axis };
}
