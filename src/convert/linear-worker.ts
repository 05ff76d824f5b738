/**
 * A worker LinearPool starts. It keeps the rows of each weight it is sent (its share of the output
 * features) in its kernel's memory until told to forget them, hands the pieces they came in back
 * for reuse, and answers each job with its share of the outputs.
 */
import { parentPort } from 'node:worker_threads';
import type { ActivationName } from './activations.js';
import { LinearKernel } from './linear-kernel.js';

type Message =
  | { readonly type: 'hold'; readonly key: string; readonly pieces: readonly Float32Array[]; readonly bias: Float32Array }
  | { readonly type: 'forget'; readonly keys: readonly string[] }
  | { readonly type: 'drop'; readonly buffers: readonly ArrayBuffer[] }
  | {
    readonly type: 'linear'; readonly id: number; readonly key: string;
    readonly x: Float64Array; readonly rows: number; readonly act: ActivationName | null;
  };

const kernel = new LinearKernel();

parentPort?.on('message', (m: Message) => {
  if (m.type === 'hold') {
    kernel.hold(m.key, m.pieces, m.bias);
    parentPort?.postMessage({ spares: m.pieces }, m.pieces.map((p) => p.buffer as ArrayBuffer));
  } else if (m.type === 'forget') {
    for (const key of m.keys) kernel.forget(key);
  } else if (m.type === 'linear') {
    try {
      const y = kernel.linear(m.key, m.x, m.rows, m.act);
      parentPort?.postMessage({ id: m.id, y }, [y.buffer as ArrayBuffer]);
    } catch (e) {
      parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  // 'drop' carries buffers the pool is done with; they are freed with this worker.
});
