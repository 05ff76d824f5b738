import { parentPort, workerData } from 'node:worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { sessionOptions } from '../child-runtime.js';
import { requestFeeds, type RequestInputs } from './requests.js';

/**
 * One worker thread of the load child's pool: its own onnxruntime-node session with its own intra-op
 * threads, as a Node server gives each worker (run() holds a thread until the answer; parallel
 * requests need parallel sessions). It answers each request index with the same index when done.
 */
export interface WorkerSetup {
  readonly modelFile: string;
  readonly inputs: RequestInputs;
  readonly threads: number;
}

/** What a worker posts: ready once its session is open, then one answer per request, or the error that stopped it. */
export type WorkerMessage = { readonly ready: true } | { readonly answered: number } | { readonly error: string };

const setup = workerData as WorkerSetup;
const port = parentPort;

async function serve(): Promise<void> {
  const ort = await import('onnxruntime-node');
  let session: InferenceSession;
  let feeds: Array<Record<string, Tensor>>;
  try {
    session = await ort.InferenceSession.create(setup.modelFile, sessionOptions({
      executionProvider: 'cpu', intraOpThreads: setup.threads, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
    }));
    feeds = requestFeeds(ort.Tensor, session.inputNames, setup.inputs);
  } catch (e) {
    port?.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
    return;
  }
  port?.on('message', (request: number) => {
    session.run(feeds[request % feeds.length] as Record<string, Tensor>).then(
      () => port.postMessage({ answered: request } satisfies WorkerMessage),
      (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage),
    );
  });
  port?.postMessage({ ready: true } satisfies WorkerMessage);
}

void serve();
