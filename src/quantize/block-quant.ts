import { roundHalfEven } from './linear-quant.js';

/**
 * 4-bit block quantization of a row-major [rows, cols] matrix along cols, in the layout
 * onnxruntime's MatMulNBits and GatherBlockQuantized read: each row is cut into blocks of
 * `blockSize` values, each block has a float scale and a 4-bit zero point (asymmetric, so a
 * block of only positive values still uses all 16 codes), codes are packed two per byte with
 * the lower-index value in the low nibble, and a short last block is padded with the zero point.
 */
export interface BlockQuantized {
  readonly blocksPerRow: number;
  /** rows x blocksPerRow x blockSize/2 bytes. */
  readonly codes: Uint8Array;
  /** rows x blocksPerRow. */
  readonly scales: Float32Array;
  /** rows x ceil(blocksPerRow / 2) bytes, two 4-bit zero points per byte. */
  readonly zeroPoints: Uint8Array;
}

const QMAX = 15;

export function quantizeBlocks4(values: Float32Array, rows: number, cols: number, blockSize: number): BlockQuantized {
  const nb = Math.ceil(cols / blockSize);
  const blob = blockSize / 2;
  const zpBytes = Math.ceil(nb / 2);
  const codes = new Uint8Array(rows * nb * blob);
  const scales = new Float32Array(rows * nb);
  const zeroPoints = new Uint8Array(rows * zpBytes);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < nb; b++) {
      const start = r * cols + b * blockSize;
      const end = r * cols + Math.min(cols, (b + 1) * blockSize);
      let lo = 0;
      let hi = 0;
      for (let i = start; i < end; i++) {
        const v = values[i] as number;
        if (v < lo && v !== -Infinity) lo = v;
        else if (v > hi && v !== Infinity) hi = v;
      }
      let scale = Math.fround((hi - lo) / QMAX);
      let zp = 0;
      if (scale > 0 && Number.isFinite(scale)) zp = Math.min(QMAX, Math.max(0, roundHalfEven(-lo / scale)));
      else scale = 1; // an all-zero block: every code is the zero point, 0
      scales[r * nb + b] = scale;
      const zpAt = r * zpBytes + (b >> 1);
      zeroPoints[zpAt] = (zeroPoints[zpAt] ?? 0) | (zp << ((b & 1) * 4));
      const base = (r * nb + b) * blob;
      for (let k = 0; k < blockSize; k++) {
        const i = start + k;
        const v = i < end ? (values[i] as number) : 0;
        const q = Number.isNaN(v) ? zp : Math.min(QMAX, Math.max(0, roundHalfEven(v / scale) + zp));
        codes[base + (k >> 1)] = (codes[base + (k >> 1)] ?? 0) | (q << ((k & 1) * 4));
      }
    }
  }
  return { blocksPerRow: nb, codes, scales, zeroPoints };
}
