import { activate, type ActivationName } from './activations.js';
import { simdModuleBytes } from './simd-module.js';

type LinearExport = (x: number, w: number, y: number, rows: number, k: number, out: number) => void;

/** A weight held in the module's memory: [even(out), even(k)] float32 at byte `at`, zeros in the padding. */
interface Held { readonly at: number; readonly bytes: number; readonly out: number; readonly k: number; readonly bias: Float32Array }

const PAGE = 65536;
const even = (n: number) => n + (n & 1);

/**
 * Linears in float64 with the SIMD kernel of simd-module.ts, on weights kept in the module's memory
 * (copied in once by hold, padded with zeros to the kernel's even widths), so a weight used by many
 * jobs (ALBERT's shared layer) is not copied again. Regions freed by forget are reused by weights
 * of the same size, which is every layer of a model after the first. One per worker thread: its
 * memory grows to what the worker holds at once and goes with the worker.
 */
export class LinearKernel {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly run: LinearExport;
  private readonly held = new Map<string, Held>();
  private readonly free = new Map<number, number[]>();
  private top = 0;
  private scratch = { at: 0, bytes: 0 };

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes()), { env: { memory: this.memory } });
    this.run = instance.exports['linear'] as LinearExport;
  }

  /** Copies W [out, k] (PyTorch's Linear layout, float32), given as consecutive pieces of whole rows, in; the pieces may be reused after. */
  hold(key: string, pieces: readonly Float32Array[], bias: Float32Array): void {
    this.forget(key);
    const out = bias.length;
    const k = pieces.reduce((n, p) => n + p.length, 0) / out;
    const K = even(k);
    const bytes = even(out) * K * 4;
    const at = this.alloc(bytes);
    const region = new Float32Array(this.memory.buffer, at, bytes / 4);
    let row = 0;
    for (const piece of pieces) {
      const rows = piece.length / k;
      padded(region.subarray(row * K, (row + rows) * K), piece, rows, k, K);
      row += rows;
    }
    region.fill(0, out * K);
    this.held.set(key, { at, bytes, out, k, bias });
  }

  forget(key: string): void {
    const h = this.held.get(key);
    if (h === undefined) return;
    this.held.delete(key);
    this.release(h.at, h.bytes);
  }

  /** act(x @ W^T + b) for x [rows, k] float64: a new [rows, out] array, summed in float64 (float32 weights widen exactly). */
  linear(key: string, x: Float64Array, rows: number, act: ActivationName | null): Float64Array {
    const h = this.held.get(key);
    if (h === undefined) throw new Error(`no weights held for ${key}`);
    const [R, K, O] = [Math.ceil(rows / 4) * 4, even(h.k), even(h.out)];
    const at = this.scratchOf(R * K * 8 + R * O * 8);
    const yAt = at + R * K * 8;
    padded(new Float64Array(this.memory.buffer, at, R * K), x, rows, h.k, K);
    this.run(at, h.at, yAt, R, K, O);
    const sums = new Float64Array(this.memory.buffer, yAt, R * O);
    const y = new Float64Array(rows * h.out);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < h.out; o++) {
        const v = (sums[r * O + o] as number) + (h.bias[o] as number);
        y[r * h.out + o] = act === null ? v : activate(act, v);
      }
    }
    return y;
  }

  private alloc(bytes: number): number {
    const reused = this.free.get(bytes)?.pop();
    if (reused !== undefined) return reused;
    const at = this.top;
    this.top += bytes;
    if (this.top > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((this.top - this.memory.buffer.byteLength) / PAGE));
    return at;
  }

  private release(at: number, bytes: number): void {
    const list = this.free.get(bytes) ?? [];
    list.push(at);
    this.free.set(bytes, list);
  }

  /** Room for one job's x and y, kept between jobs and moved when a larger job needs more. */
  private scratchOf(bytes: number): number {
    if (bytes > this.scratch.bytes) {
      if (this.scratch.bytes > 0) this.release(this.scratch.at, this.scratch.bytes);
      this.scratch = { at: this.alloc(bytes), bytes };
    }
    return this.scratch.at;
  }
}

/** `rows` rows of width `k` from `from` into `to` at width `K` >= k, zeros in every cell left over. */
function padded(to: Float64Array | Float32Array, from: Float64Array | Float32Array, rows: number, k: number, K: number): void {
  if (K === k) to.set(from.subarray(0, rows * k));
  else for (let r = 0; r < rows; r++) {
    to.set(from.subarray(r * k, r * k + k), r * K);
    to.fill(0, r * K + k, r * K + K);
  }
  to.fill(0, rows * K);
}
