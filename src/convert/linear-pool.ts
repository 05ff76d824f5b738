import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ActivationName } from './activations.js';

/** More workers than this buy little on the reference's few dozen rows and cost an isolate each. */
const MAX_WORKERS = 4;
/**
 * Weights travel to the workers in pieces of at most this many bytes (or one row). Below glibc's
 * 128 KiB mmap threshold they come from the heap, and freeing them neither returns pages nor
 * raises that threshold; freeing megabyte buffers did, after which onnxruntime's session, loaded
 * next, peaked 70-160 MB higher on bert-base.
 */
const PIECE_BYTES = 64 * 1024;

interface Pending { readonly resolve: (y: Float64Array) => void; readonly reject: (e: Error) => void }

/**
 * Worker threads that compute the reference pass's Linears, each worker a share of the output
 * features. A weight's rows are moved (transferred, not copied or shared) to the worker that uses
 * them, which keeps them until forgotten and hands the pieces back for the next weight's rows, so
 * this thread holds no weights and what the workers hold is freed when close() stops them. The
 * awaiting thread keeps its event loop free, so Ctrl-C is handled at once; a worker keeps the
 * process alive only while it has a job or is being stopped (keepAlive).
 */
export class LinearPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly jobs = new Map<Worker, number>();
  private readonly held = new Map<string, number>();
  /** Pieces the workers handed back once they had copied a weight in, by size: the next weights are read into them. */
  private readonly spares = new Map<number, ArrayBuffer[]>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(threads = Math.min(MAX_WORKERS, os.availableParallelism())) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => this.start());
  }

  private start(): Worker {
    const worker = new Worker(new URL('./linear-worker.js', import.meta.url));
    this.keepAlive(worker);
    worker.on('message', (m: { readonly id: number; readonly y?: Float64Array; readonly error?: string } | { readonly spares: Float32Array[] }) => {
      if ('spares' in m) {
        for (const piece of m.spares) {
          const sized = this.spares.get(piece.byteLength) ?? [];
          sized.push(piece.buffer as ArrayBuffer);
          this.spares.set(piece.byteLength, sized);
        }
        return;
      }
      this.jobs.set(worker, (this.jobs.get(worker) ?? 1) - 1);
      this.keepAlive(worker);
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.y !== undefined) p?.resolve(m.y);
      else p?.reject(new Error(`reference worker: ${m.error ?? 'no result'}`));
    });
    worker.on('error', (e) => this.fail(new Error(`a reference worker failed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => {
      if ((this.jobs.get(worker) ?? 0) > 0) this.fail(new Error(`a reference worker exited (code ${code}) with work pending`));
    });
    return worker;
  }

  /**
   * Refs a worker while one of its jobs is unanswered or close() is stopping it, and unrefs it otherwise, so an
   * abandoned idle pool never keeps the process alive. One place decides, closing included: an answer already on
   * its way when close() began arrives after terminate() ref'd the worker, and unref'ing it then could end the
   * event loop before the 'exit' that settles terminate(), leaving the awaiting pass pending for good.
   */
  private keepAlive(worker: Worker): void {
    if (this.closing || (this.jobs.get(worker) ?? 0) > 0) worker.ref();
    else worker.unref();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Each worker's output features [from, to) of a Linear with `outFeatures` outputs; some may be empty. */
  shares(outFeatures: number): Array<readonly [number, number]> {
    const n = this.workers.length;
    return this.workers.map((_, j) => [Math.floor((j * outFeatures) / n), Math.floor(((j + 1) * outFeatures) / n)] as const);
  }

  /** Each worker's rows of W [outFeatures, inFeatures] as runs [from, to) of at most PIECE_BYTES (or one row), for readRows and hold. */
  pieces(outFeatures: number, inFeatures: number): Array<Array<readonly [number, number]>> {
    const step = Math.max(1, Math.floor(PIECE_BYTES / (inFeatures * 4)));
    return this.shares(outFeatures).map(([from, to]) => {
      const runs: Array<readonly [number, number]> = [];
      for (let r = from; r < to; r += step) runs.push([r, Math.min(to, r + step)]);
      return runs;
    });
  }

  /** A float32 array of `length` for a piece of a weight, in a handed-back buffer when one fits. */
  take(length: number): Float32Array {
    const spare = this.spares.get(length * 4)?.pop();
    return spare === undefined ? new Float32Array(length) : new Float32Array(spare);
  }

  has(key: string): boolean {
    return this.held.has(key);
  }

  /** Moves each worker's pieces of W (in pieces() order) and its part of the bias into it. */
  hold(key: string, pieces: ReadonlyArray<readonly Float32Array[]>, bias: Float32Array): void {
    const shares = this.shares(bias.length);
    this.workers.forEach((worker, j) => {
      const [from, to] = shares[j] ?? [0, 0];
      const mine = pieces[j] ?? [];
      if (to > from) worker.postMessage({ type: 'hold', key, pieces: mine, bias: bias.slice(from, to) }, mine.map((p) => p.buffer as ArrayBuffer));
    });
    this.held.set(key, bias.length);
  }

  /** Frees every weight but `keys` in the workers. */
  keepOnly(keys: ReadonlySet<string>): void {
    const drop = [...this.held.keys()].filter((k) => !keys.has(k));
    if (drop.length === 0) return;
    for (const k of drop) this.held.delete(k);
    for (const worker of this.workers) worker.postMessage({ type: 'forget', keys: drop });
  }

  /** act(x @ W^T + b) for x [rows, inFeatures] and the held weight `key`: a new [rows, outFeatures] array. */
  async linear(key: string, x: Float64Array, rows: number, act: ActivationName | null): Promise<Float64Array> {
    if (this.failure !== null) throw this.failure;
    const outFeatures = this.held.get(key);
    if (outFeatures === undefined) throw new Error(`the reference pool holds no weights for ${key}`);
    const shares = this.shares(outFeatures);
    const parts = await Promise.all(this.workers.map((worker, j) => {
      const [from, to] = shares[j] ?? [0, 0];
      return to > from ? this.post(worker, { type: 'linear', key, x, rows, act }) : Promise.resolve(new Float64Array(0));
    }));
    const y = new Float64Array(rows * outFeatures);
    parts.forEach((part, j) => {
      const [from, to] = shares[j] ?? [0, 0];
      for (let r = 0; r < rows && to > from; r++) y.set(part.subarray(r * (to - from), (r + 1) * (to - from)), r * outFeatures + from);
    });
    return y;
  }

  private post(worker: Worker, job: object): Promise<Float64Array> {
    const id = this.nextId++;
    this.jobs.set(worker, (this.jobs.get(worker) ?? 0) + 1);
    this.keepAlive(worker);
    return new Promise<Float64Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id });
    });
  }

  /** Stops every worker, freeing what they hold; pending jobs fail. */
  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.workers) this.keepAlive(w);
    this.fail(new Error('the reference pool was closed'));
    // Handed-back buffers go with a worker as it stops, so their memory is freed now rather than at this
    // thread's next garbage collection, which a session loading after the pass would not trigger.
    const spares = [...this.spares.values()].flat();
    this.spares.clear();
    this.workers[0]?.postMessage({ type: 'drop', buffers: spares }, spares);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
