import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qParams, qRange, quantizeMatrix, roundHalfEven } from '../../src/quantize/linear-quant.js';
import { quantizeBlocks4 } from '../../src/quantize/block-quant.js';
import { toHalfBits } from '../../src/tensor.js';

const int8s = { type: 'int8', symmetric: true, reduceRange: false } as const;
const uint8a = { type: 'uint8', symmetric: false, reduceRange: false } as const;

describe('linear quantization helpers', () => {
  it('ranges: symmetric int8 [-127, 127], reduced 7-bit ranges, uint8 [0, 255]', () => {
    assert.deepEqual(qRange(int8s), { qmin: -127, qmax: 127 });
    assert.deepEqual(qRange({ ...int8s, reduceRange: true }), { qmin: -64, qmax: 64 });
    assert.deepEqual(qRange(uint8a), { qmin: 0, qmax: 255 });
    assert.deepEqual(qRange({ ...uint8a, reduceRange: true }), { qmin: 0, qmax: 127 });
  });

  it('rounds half to even, like numpy', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, -3]);
  });

  it('a zero or NaN range gets scale 1, so all-zero weights stay exactly zero', () => {
    assert.deepEqual(qParams(0, 0, int8s), { scale: 1, zeroPoint: 0 });
    assert.deepEqual(qParams(NaN, NaN, uint8a), { scale: 1, zeroPoint: 0 });
    const q = quantizeMatrix(new Float32Array(6), 2, 3, uint8a, 1);
    assert.deepEqual([...q.data], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...q.scales], [1, 1, 1]);
  });

  it('ranges include zero; asymmetric uint8 puts real 0 exactly on a code', () => {
    const p = qParams(0.5, 2, uint8a);
    assert.equal(p.zeroPoint, 0);
    assert.equal(p.scale, Math.fround(2 / 255));
    const n = qParams(-1, 3, uint8a);
    assert.equal(n.zeroPoint, Math.round(1 / n.scale));
  });

  it('NaN and Inf do not poison the range: NaN -> real 0, infinities saturate', () => {
    const q = quantizeMatrix(Float32Array.of(1, NaN, Infinity, -Infinity, -0.5, 0), 1, 6, int8s, null);
    assert.equal(q.scales[0], Math.fround(2 / 254));
    assert.deepEqual([...q.data], [127, 0, 127, -127, -64, 0]);
  });

  it('per-channel: one scale per column (axis 1) or row (axis 0)', () => {
    const values = Float32Array.of(1, 10, -2, 20);
    const cols = quantizeMatrix(values, 2, 2, int8s, 1);
    assert.deepEqual([...cols.scales], [Math.fround(4 / 254), Math.fround(40 / 254)]);
    assert.deepEqual([...cols.data], [64, 64, -127, 127]);
    const rows = quantizeMatrix(values, 2, 2, int8s, 0);
    assert.deepEqual([...rows.scales], [Math.fround(20 / 254), Math.fround(40 / 254)]);
  });
});

describe('4-bit block quantization', () => {
  it('packs two codes per byte, low nibble first, with per-block scales and zero points; dequantizes within half a step', () => {
    const K = 40; // two blocks of 32, the second padded
    const values = Float32Array.from({ length: 2 * K }, (_, i) => Math.sin(i) * (i < K ? 1 : 0.01));
    const q = quantizeBlocks4(values, 2, K, 32);
    assert.equal(q.blocksPerRow, 2);
    assert.equal(q.codes.length, 2 * 2 * 16);
    assert.equal(q.zeroPoints.length, 2);
    for (let r = 0; r < 2; r++) {
      for (let k = 0; k < K; k++) {
        const b = k >> 5;
        const byte = q.codes[(r * 2 + b) * 16 + ((k % 32) >> 1)] as number;
        const code = (k & 1) === 0 ? byte & 15 : byte >> 4;
        const zpByte = q.zeroPoints[r] as number;
        const zp = b === 0 ? zpByte & 15 : zpByte >> 4;
        const scale = q.scales[r * 2 + b] as number;
        assert.ok(Math.abs((code - zp) * scale - (values[r * K + k] as number)) <= scale / 2 + 1e-7, `row ${r} col ${k}`);
      }
    }
  });

  it('an all-zero block has scale 1 and zero codes', () => {
    const q = quantizeBlocks4(new Float32Array(32), 1, 32, 32);
    assert.deepEqual([...q.scales], [1]);
    assert.ok(q.codes.every((c) => c === 0));
  });
});

describe('float16 vectors', () => {
  it('rounds float32 to the nearest half (even on ties), subnormals included', () => {
    assert.deepEqual([1, -2, 0.1, 65504, 1e-5, 3e-8, 0, 1 + 2 ** -11].map(toHalfBits), [0x3c00, 0xc000, 0x2e66, 0x7bff, 0x00a8, 0x0001, 0, 0x3c00]);
  });
});
