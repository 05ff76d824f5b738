import type { LatencyPoint, MemoryFacts } from './types.js';

/** The report's fields about where a variant can be deployed: devices timed side by side, and transformers.js (types.ts re-exports them). */

export type DeviceName = 'cpu' | 'cuda' | 'wasm';

export interface DeviceSetup {
  readonly device: DeviceName;
  /** `onnxruntime-node <version>` or `onnxruntime-web <version>`. */
  readonly runtime: string;
  /** Intra-op threads; on wasm onnxruntime-web's env.wasm.numThreads. */
  readonly threads: number;
}

/** One device's timing of a variant, in the same interleaved rounds as every other device's. */
export type DeviceLatency =
  | { readonly device: DeviceName; readonly state: 'timed'; readonly latency: readonly LatencyPoint[]; readonly memory: MemoryFacts }
  /** The device's runtime lacks an operator of the graph (e.g. onnxruntime-web): a finding, not a failure. */
  | { readonly device: DeviceName; readonly state: 'unsupported'; readonly op: string; readonly message: string };

/**
 * Whether transformers.js (@huggingface/transformers) loads the variant from its model folder (by its dtype name, or by
 * file name) and predicts what albench predicted on the first `examples` evaluated rows.
 */
export interface TransformersJsCheck {
  readonly state: 'agrees' | 'disagrees' | 'fails' | 'not installed';
  /** The dtype it was loaded as (fp32, q8, uint8, int8, q4, fp16); absent when loaded by file name. */
  readonly dtype?: string;
  /** The file under onnx/ it was loaded from. */
  readonly file?: string;
  /** Rows where transformers.js' argmax label equals albench's. */
  readonly agreement?: number;
  readonly examples?: number;
  readonly error?: string;
}
