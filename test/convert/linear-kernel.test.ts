import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activate } from '../../src/convert/activations.js';
import { LinearKernel } from '../../src/convert/linear-kernel.js';
import { seededRandom } from '../../src/util/random.js';

const rand = seededRandom(3).next;
const values = (n: number) => Float64Array.from({ length: n }, () => rand() - 0.5);

/** act(x @ W^T + b) the plain way, in float64. */
function plain(x: Float64Array, rows: number, w: Float32Array, b: Float32Array, act: 'gelu' | null): number[] {
  const out = b.length;
  const k = w.length / out;
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let s = b[o] as number;
      for (let i = 0; i < k; i++) s += (x[r * k + i] as number) * (w[o * k + i] as number);
      y.push(act === null ? s : activate(act, s));
    }
  }
  return y;
}

function assertClose(got: Float64Array, want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, what);
  const worst = Math.max(...want.map((v, i) => Math.abs(v - (got[i] as number))));
  assert.ok(worst < 1e-12, `${what}: max |diff| ${worst}`);
}

describe('the reference\'s SIMD Linear kernel', () => {
  it('matches a plain float64 loop on shapes it has to pad (rows not a multiple of 4, odd widths)', () => {
    const kernel = new LinearKernel();
    for (const [rows, k, out] of [[1, 1, 1], [3, 5, 7], [5, 6, 3], [4, 2, 2], [7, 33, 9], [9, 64, 130]] as const) {
      const w = Float32Array.from(values(out * k));
      const b = Float32Array.from(values(out));
      const x = values(rows * k);
      // Pieces of one, two, one... rows, as the pool sends them, ending wherever the rows do.
      const pieces: Float32Array[] = [];
      for (let r = 0, n = 1; r < out; r += n, n = 3 - n) pieces.push(w.slice(r * k, Math.min(out, r + n) * k));
      kernel.hold('w', pieces, b);
      for (const act of [null, 'gelu'] as const) assertClose(kernel.linear('w', x, rows, act), plain(x, rows, w, b, act), `[${rows}, ${k}] x [${out}, ${k}]^T, ${act}`);
    }
  });

  it('keeps its own copy of a weight, and a region freed and reused holds nothing of the weight before it', () => {
    const kernel = new LinearKernel();
    const x = values(3 * 5);
    const w = Float32Array.from(values(3 * 5));
    const b = new Float32Array(3);
    // [4, 6] fills the same 96 bytes as [3, 5] padded to [4, 6]; NaN anywhere left behind would show in every sum.
    kernel.hold('nan', [new Float32Array(4 * 6).fill(NaN)], new Float32Array(4));
    kernel.forget('nan');
    const sent = w.slice();
    kernel.hold('w', [sent], b);
    sent.fill(NaN);
    assertClose(kernel.linear('w', x, 3, null), plain(x, 3, w, b, null), 'after reuse');
    assert.throws(() => kernel.linear('nan', x, 3, null), /no weights held for nan/);
  });
});
