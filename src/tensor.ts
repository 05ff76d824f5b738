/**
 * Tensors as albench passes them around: a dtype, a shape and a way to get the little-endian
 * bytes. Bytes come on demand so a converter can stream a multi-gigabyte checkpoint into an ONNX
 * file without holding both in memory.
 */
export type DType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4, float16: 2, bfloat16: 2, float64: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

export interface TensorSource {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Little-endian row-major bytes; may read from disk, so callers should not call it twice needlessly. */
  bytes(): Uint8Array;
  /**
   * The same bytes in order, in chunks that are only valid until the next one is asked for (they live
   * in reused scratch memory). Writers use this: touching fresh memory for every tensor costs more
   * than reading it, the whole model never has to be in memory, and a writer may let the event loop
   * run between chunks, so an interrupt waits for one chunk, not for a 125 MB embedding table.
   */
  chunks?(): Iterable<Uint8Array>;
}

/** Chunks of at most this many bytes (a multiple of 8, so every dtype's elements stay whole). */
export const STREAM_CHUNK_BYTES = 4 * 1024 * 1024;

export function* tensorChunks(t: TensorSource): Generator<Uint8Array, void, void> {
  if (t.chunks) yield* t.chunks();
  else yield t.bytes();
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function byteLength(t: Pick<TensorSource, 'dtype' | 'shape'>): number {
  return numel(t.shape) * DTYPE_BYTES[t.dtype];
}

/** A tensor whose bytes are already in memory. */
export function memoryTensor(dtype: DType, shape: readonly number[], data: ArrayBufferView): TensorSource {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { dtype, shape: [...shape], bytes: () => view };
}

function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** float32 -> IEEE half bits, rounding to nearest even (finite inputs within half range). */
export function toHalfBits(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  const e = exp - 127 + 15;
  if (exp === 0 || e < -10) return sign; // zero or below half's subnormals
  if (e <= 0) {
    // Subnormal half: shift the full mantissa (with its implicit 1) into 10 bits, round to even.
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1) === 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0));
}

/** Float data of any floating dtype as float32 (fp16/bf16 checkpoints are widened; the graph is fp32). */
export function toFloat32(t: TensorSource): Float32Array {
  const b = t.bytes();
  const n = numel(t.shape);
  switch (t.dtype) {
    case 'float32':
      return b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, n) : new Float32Array(new Uint8Array(b).buffer, 0, n);
    case 'float64': {
      const src = new Float64Array(new Uint8Array(b).buffer, 0, n); // a copy: b may be a Buffer, whose slice() is a view
      return Float32Array.from(src);
    }
    case 'float16': {
      const out = new Float32Array(n);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < n; i++) out[i] = float16ToFloat32(dv.getUint16(2 * i, true));
      return out;
    }
    case 'bfloat16': {
      const out = new Float32Array(n);
      const u32 = new Uint32Array(out.buffer);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < n; i++) u32[i] = dv.getUint16(2 * i, true) << 16;
      return out;
    }
    default:
      throw new TypeError(`toFloat32: dtype ${t.dtype} is not a float type`);
  }
}
