import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RequestInputs } from './requests.js';
import type { WorkerMessage, WorkerSetup } from './load-worker.js';

const WORKER_FILE = fileURLToPath(new URL('./load-worker.js', import.meta.url));

/** The load child's server: requests wait in one queue, in arrival order, and go to whichever worker is free. */
export interface Pool {
  /** Resolves when the request is answered. */
  submit(request: number): Promise<void>;
  close(): Promise<void>;
}

interface PoolWorker {
  readonly worker: Worker;
  /** The request it is running and how to answer it; null while idle. */
  busy: { readonly request: number; readonly done: () => void } | null;
}

function startWorker(setup: WorkerSetup, onFailure: (error: string) => void): Promise<Worker> {
  const worker = new Worker(WORKER_FILE, { workerData: setup });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: WorkerMessage) => ('ready' in m ? resolve(worker) : reject(new Error('error' in m ? m.error : 'not ready'))));
    worker.once('error', reject);
    worker.on('error', (e) => onFailure(e.message));
  });
}

/** `workers` worker threads, each with its own session of `threadsPerWorker` intra-op threads, opened at once. */
export async function openPool(modelFile: string, inputs: RequestInputs, workers: number, threadsPerWorker: number): Promise<Pool> {
  const queue: Array<{ readonly request: number; readonly done: () => void }> = [];
  let failure: string | null = null;
  const fail = (error: string) => {
    failure ??= error;
  };
  const started = await Promise.all(Array.from({ length: workers }, () => startWorker({ modelFile, inputs, threads: threadsPerWorker }, fail)));
  const pool: PoolWorker[] = started.map((worker) => ({ worker, busy: null }));
  const dispatch = (w: PoolWorker) => {
    const next = queue.shift();
    w.busy = next ?? null;
    if (next !== undefined) w.worker.postMessage(next.request);
  };
  for (const w of pool) {
    w.worker.on('message', (m: WorkerMessage) => {
      if ('error' in m) fail(m.error);
      const answered = w.busy;
      dispatch(w);
      answered?.done();
    });
  }
  return {
    submit(request) {
      if (failure !== null) return Promise.reject(new Error(failure));
      return new Promise<void>((resolve) => {
        queue.push({ request, done: resolve });
        const idle = pool.find((w) => w.busy === null);
        if (idle !== undefined) dispatch(idle);
      });
    },
    async close() {
      await Promise.all(pool.map((w) => w.worker.terminate()));
      if (failure !== null) throw new Error(failure);
    },
  };
}
