import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LinearPool } from '../../src/convert/linear-pool.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

/** W [out, k] with W[o, i] = o + i / 10, in the pieces the pool asks for. */
function hold(pool: LinearPool, key: string, out: number, k: number): Float32Array {
  const w = Float32Array.from({ length: out * k }, (_, j) => Math.floor(j / k) + (j % k) / 10);
  const pieces = pool.pieces(out, k).map((runs) => runs.map(([from, to]) => w.slice(from * k, to * k)));
  pool.hold(key, pieces, Float32Array.from({ length: out }, (_, o) => o));
  return w;
}

describe('the reference\'s worker pool', () => {
  it('puts each worker\'s share of the outputs in place, with fewer outputs than workers too', async () => {
    const pool = new LinearPool(3);
    try {
      // 40000 inputs make a row more than a piece's 64 KiB: a piece per row.
      for (const [out, k, rows] of [[2, 3, 2], [7, 4, 5], [1, 2, 1], [5, 40000, 2], [9000, 3, 3]] as const) {
        const w = hold(pool, `w${out}`, out, k);
        const x = Float64Array.from({ length: rows * k }, (_, j) => j - 1);
        const y = await pool.linear(`w${out}`, x, rows, 'relu');
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < out; o++) {
            let s = o;
            for (let i = 0; i < k; i++) s += (x[r * k + i] as number) * (w[o * k + i] as number);
            assert.ok(Math.abs((y[r * out + o] as number) - Math.max(0, s)) <= 1e-12 * Math.max(1, Math.abs(s)), `[${r}, ${o}] of ${out} outputs`);
          }
        }
      }
      pool.keepOnly(new Set(['w7']));
      assert.equal(pool.has('w2'), false);
      await assert.rejects(pool.linear('w2', new Float64Array(3), 1, null), /holds no weights for w2/);
    } finally {
      await pool.close();
    }
  });

  it('fails what is pending when closed, and every call after', async () => {
    const pool = new LinearPool(2);
    hold(pool, 'big', 512, 512);
    const pending = assert.rejects(pool.linear('big', new Float64Array(64 * 512), 64, null), /closed/);
    await pool.close();
    await pending;
    await assert.rejects(pool.linear('big', new Float64Array(512), 1, null), /closed/);
  });

  // The answer is on its way when close() begins and arrives after it: the process must still wait for close().
  it('keeps the process alive until close() has stopped its workers, even when an answer arrives after close()', () => {
    const module = path.join(REPO_ROOT, 'dist', 'src', 'convert', 'linear-pool.js');
    const script = `const { LinearPool } = await import(${JSON.stringify(module)}); const pool = new LinearPool(1);
      pool.hold('w', pool.pieces(2, 2).map((runs) => runs.map(([a, b]) => new Float32Array((b - a) * 2).fill(1))), new Float32Array(2));
      const answer = pool.linear('w', new Float64Array([1, 2]), 1, null).catch((e) => e.message);
      for (const until = Date.now() + 1000; Date.now() < until;);
      await pool.close();
      console.log('closed;', await answer);`;
    const file = path.join(tempDir(), 'close-late.mjs');
    fs.writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, 'it exited by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'closed; the reference pool was closed');
  });

  it('never keeps the process alive once idle, even if nobody closes it', () => {
    const module = path.join(REPO_ROOT, 'dist', 'src', 'convert', 'linear-pool.js');
    const script = `const { LinearPool } = await import(${JSON.stringify(module)}); const pool = new LinearPool(2);
      pool.hold('w', pool.pieces(2, 2).map((runs) => runs.map(([a, b]) => new Float32Array((b - a) * 2).fill(1))), new Float32Array(2));
      console.log((await pool.linear('w', new Float64Array([1, 2]), 1, null)).join(','));`;
    const file = path.join(tempDir(), 'abandon.mjs');
    fs.writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, 'it exited by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '3,3');
  });
});
