import type { LatencyPoint, MemoryFacts } from './facts.js';

/**
 * Where a report was measured: the machine and runtime (Env), the devices timed side by side, and
 * whether transformers.js loads a variant (types.ts re-exports them).
 */

/**
 * cpu, cuda: onnxruntime-node; wasm: onnxruntime-web in Node; browser-wasm, browser-webgpu:
 * onnxruntime-web inside headless Chromium (albench's page, src/browser).
 */
export type DeviceName = 'cpu' | 'cuda' | 'wasm' | 'browser-wasm' | 'browser-webgpu';
export const DEVICE_NAMES: readonly DeviceName[] = ['cpu', 'cuda', 'wasm', 'browser-wasm', 'browser-webgpu'];
/** A browser device's name is the onnxruntime-web backend it runs, after this prefix. */
export const BROWSER_DEVICE_PREFIX = 'browser-';
export const isBrowserDevice = (d: DeviceName): boolean => d.startsWith(BROWSER_DEVICE_PREFIX);

export interface DeviceSetup {
  readonly device: DeviceName;
  /** `onnxruntime-node <version>`, `onnxruntime-web <version>`, or `onnxruntime-web <version> in Chromium <version>`. */
  readonly runtime: string;
  /** Intra-op threads; on wasm onnxruntime-web's env.wasm.numThreads (in a browser, the threads the page ran). */
  readonly threads: number;
}

/**
 * One device's timing of a variant. onnxruntime-node's and Node's wasm devices share interleaved
 * rounds; browser devices are timed after them, in rounds of their own.
 */
export type DeviceLatency =
  /** memory is null in a browser: a page cannot see its process's resident memory. */
  | { readonly device: DeviceName; readonly state: 'timed'; readonly latency: readonly LatencyPoint[]; readonly memory: MemoryFacts | null }
  /** The device's runtime lacks an operator of the graph (e.g. onnxruntime-web): a finding, not a failure. */
  | { readonly device: DeviceName; readonly state: 'unsupported'; readonly op: string; readonly message: string }
  /** The browser offers no such backend here (WebGPU without an adapter): a finding about the machine, not a failure. */
  | { readonly device: DeviceName; readonly state: 'unavailable'; readonly reason: string }
  /** The browser could not time it (the page crashed, a point failed): the variant's other figures stand, and compare exits non-zero. */
  | { readonly device: DeviceName; readonly state: 'failed'; readonly error: string };

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
  /** true: an earlier run's verdict on the same folder, rows, transformers.js and runtime, from the step cache. */
  readonly reused?: boolean;
}

/** An onnxruntime session's settings: what compare timed with (env.session, env.threads), or what compare --tune chose. */
export interface SessionSettings {
  /** On wasm onnxruntime-web's env.wasm.numThreads. */
  readonly intraOpThreads: number;
  /** Used by the parallel execution mode only. */
  readonly interOpThreads: number;
  readonly graphOptimizationLevel: 'basic' | 'all';
  readonly executionMode: 'sequential' | 'parallel';
}

/** What every timing ran with before reports recorded it (env.session absent): graph optimisation all, sequential, one inter-op thread. */
export const SESSION_BEFORE_RECORDED: Omit<SessionSettings, 'intraOpThreads'> = {
  interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
};

export interface Env {
  readonly cpuModel: string;
  /** e.g. avx2, avx512f, avx512_vnni, avx_vnni — the ones that decide which int8 kernels run. */
  readonly cpuFlags: readonly string[];
  readonly logicalCores: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly onnxruntime: string;
  /** The first device timed: `latency`, the claims and the recommendation use it. */
  readonly device: DeviceName;
  readonly executionProvider: string;
  readonly threads: number;
  /** The session settings beside the threads that every device was timed with (version 2, optional: SESSION_BEFORE_RECORDED when absent). */
  readonly session?: Omit<SessionSettings, 'intraOpThreads'>;
  /** Every device timed, in order, when more than one was (version 2, optional): each variant's latencyByDevice follows it. */
  readonly devices?: readonly DeviceSetup[];
}
