import type { HeadName } from '../arch/types.js';
import type { ParamCounts } from '../arch/params.js';

/** One child process of a bench run: which round, which grid point (batch-major index), which model (index). */
export interface RunSlot {
  readonly round: number;
  readonly point: number;
  readonly model: number;
}
import type { FlopCount } from '../arch/flops.js';

/**
 * The JSON that `albench bench --json` writes. Results are plain data; format.ts renders them.
 * Every number says its unit in its name (Ms, Bytes, Percent, PerSecond) or is a count.
 * Bump BENCH_SCHEMA_VERSION whenever a field changes meaning or disappears.
 */
export const BENCH_SCHEMA_VERSION = 1;

/** wasm: onnxruntime-web's WebAssembly backend (SIMD, threads) in Node, the runtime a browser gets without WebGPU. */
export type Device = 'cpu' | 'cuda' | 'wasm';
export const DEVICES: readonly Device[] = ['cpu', 'cuda', 'wasm'];

/**
 * How long each grid point runs: until both limits are met (tinybench's rule). With `precision`,
 * past both limits it runs until its p50 is known well enough, or `maxTimeMs` has passed.
 */
export interface StopRule {
  readonly minIterations: number;
  readonly minTimeMs: number;
  readonly precision?: PrecisionStop;
}

/**
 * Stop as soon as the distribution-free 95% interval of the median (util/stats.ts) lies within
 * ±medianWithinPercent of it: a fast model is not timed for longer than its figure needs, a noisy
 * one runs on until the cap.
 */
export interface PrecisionStop {
  readonly medianWithinPercent: number;
  readonly maxTimeMs: number;
}

/** The graph optimisation levels albench runs: `all` (every timing's), and `basic`, which compare --tune also tries. */
export type GraphOptimizationLevel = 'basic' | 'all';
/** `sequential` runs one node at a time; `parallel` runs independent nodes on the inter-op threads (compare --tune tries both). */
export type ExecutionMode = 'sequential' | 'parallel';

export interface RuntimeSettings {
  readonly executionProvider: Device;
  /** On wasm, onnxruntime-web's env.wasm.numThreads (worker threads inside the child), set explicitly to this. */
  readonly intraOpThreads: number;
  /** Used by the parallel execution mode only. */
  readonly interOpThreads: number;
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  readonly executionMode: ExecutionMode;
}

export interface CpuFlags { readonly avx2: boolean; readonly avx512f: boolean; readonly avx512Vnni: boolean; readonly avxVnni: boolean; readonly amx: boolean }

export interface CpuInfo { readonly model: string; readonly logicalCores: number; readonly physicalCores: number; readonly flags: CpuFlags }

export interface GpuInfo { readonly name: string; readonly memoryTotalBytes: number; readonly driverVersion: string }

export interface Environment {
  readonly cpu: CpuInfo;
  readonly memoryTotalBytes: number;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine shows here and in the spread. */
  readonly loadAverageAtStart: readonly [number, number, number];
  readonly os: { readonly platform: string; readonly release: string; readonly arch: string; readonly name: string };
  readonly node: string;
  readonly onnxruntime: RuntimeSettings & { readonly version: string };
  /** onnxruntime-web's version, when a wasm device was timed. */
  readonly onnxruntimeWeb?: { readonly version: string };
  /** From nvidia-smi; empty where it is absent or lists no GPU. */
  readonly gpus: readonly GpuInfo[];
}

interface BenchSettings {
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly warmupIterations: number;
  readonly stop: StopRule;
  /** How many times every model was timed at every point, each time in a fresh child process (rounds.ts). */
  readonly rounds: number;
  /** What the models were fed; latency depends on it only through the shape. */
  readonly inputs: string;
  /** The order the child processes ran in (see bench.ts). */
  readonly order: string;
}

export interface LatencyStats {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly stdevMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Half-width of the 95% confidence interval of the mean, relative to the mean (tinybench's rme). */
  readonly relativeMarginOfErrorPercent: number;
  readonly samples: number;
}

interface MemoryFigures {
  /** Where the figures come from: VmHWM/VmRSS of the child in /proc/self/status (on wasm the WebAssembly heap is inside it). */
  readonly source: 'proc-status';
  /** Node and onnxruntime loaded, no model yet. */
  readonly rssBeforeLoadBytes: number;
  readonly peakRssAfterLoadBytes: number;
  readonly peakRssAfterRunsBytes: number;
  readonly rssAfterRunsBytes: number;
  /** CUDA only: the GPU memory nvidia-smi reports for the child process; null on CPU or when it cannot tell. */
  readonly gpuBytes: number | null;
  readonly gpuSource: 'nvidia-smi' | null;
}

export interface Measurement {
  readonly loadMs: number;
  readonly latency: LatencyStats;
  readonly memory: MemoryFigures;
}

export type PointResult = { readonly batchSize: number; readonly sequenceLength: number } & (
  | {
      readonly state: 'completed';
      readonly loadMs: number;
      /** The median round's statistics, with p50Ms the median of roundP50sMs (see rounds.ts). */
      readonly latency: LatencyStats;
      /** Each round's p50, in round order. */
      readonly roundP50sMs: readonly number[];
      /** Highest minus lowest of roundP50sMs: how far the rounds disagreed; 0 with one round. */
      readonly spreadMs: number;
      readonly memory: MemoryFigures;
      /** Null when the model's config.json is unknown (a bare .onnx file). */
      readonly flops: FlopCount | null;
      /** flops.total / p50, in GFLOP/s. */
      readonly achievedGflopPerSecondAtP50: number | null;
      readonly sequencesPerSecondAtP50: number;
    }
  | { readonly state: 'failed'; readonly error: { readonly code: string; readonly message: string } }
  /** The device's runtime lacks an operator of the graph (onnxruntime-web without a com.microsoft kernel): a finding, not a failure. */
  | { readonly state: 'unsupported'; readonly device: Device; readonly op: string; readonly message: string }
);

export interface OptimizedGraph {
  /** Op types outside the standard ONNX domain after onnxruntime's optimisations: the fusions that fired. */
  readonly fusedOps: Readonly<Record<string, number>>;
  /**
   * Every op type of the optimised graph, `domain:op` for non-standard domains. On wasm the graph as onnxruntime-node's CPU
   * provider optimises it: onnxruntime-web cannot write its optimised graph out, and runs the same CPU kernels compiled to WebAssembly.
   */
  readonly opCounts: Readonly<Record<string, number>>;
  readonly nodes: number;
}

export interface ModelResult {
  readonly label: string;
  /** The device it ran on (one ModelResult per device and model when several devices are timed); absent before wasm. */
  readonly device?: Device;
  /** That device's session settings (threads included); environment.onnxruntime holds the first device's. */
  readonly runtime?: RuntimeSettings;
  readonly modelFile: string;
  readonly modelBytesOnDisk: number;
  readonly modelType: string | null;
  readonly task: HeadName | null;
  /** Unique (stored once) and executed (as every layer runs them); null without config.json. */
  readonly params: ParamCounts | null;
  /** null when the run was asked not to read it back (compare's, which reports no fused ops). */
  readonly optimizedGraph: OptimizedGraph | null;
  readonly points: readonly PointResult[];
}

export interface BenchReport {
  readonly schemaVersion: typeof BENCH_SCHEMA_VERSION;
  readonly kind: 'albench-bench';
  readonly albenchVersion: string;
  readonly createdAt: string;
  /** When the run began, at the moment environment.loadAverageAtStart was read. */
  readonly startedAt: string;
  readonly environment: Environment;
  readonly settings: BenchSettings;
  readonly models: readonly ModelResult[];
  /** Every measuring child in the order it ran (indices into models and the batch-major grid). */
  readonly runOrder: readonly RunSlot[];
}
