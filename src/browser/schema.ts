import type { FlopCount } from '../arch/flops.js';
import type { GridPoint } from '../bench/grid.js';
import type { LatencyStats, StopRule } from '../bench/schema.js';
import type { BrowserDevice, PageEnvironment } from './protocol.js';

/**
 * The JSON that `albench browser-bench --json` writes: latency measured inside headless Chromium by
 * onnxruntime-web. There is no memory column: a page cannot see its process's resident memory.
 * Bump BROWSER_BENCH_SCHEMA_VERSION whenever a field changes meaning or disappears.
 */
export const BROWSER_BENCH_SCHEMA_VERSION = 1;

export interface BrowserInfo extends PageEnvironment {
  readonly executable: string;
  readonly version: string;
}

export interface BrowserBenchSettings {
  readonly device: BrowserDevice;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly warmupIterations: number;
  readonly stop: StopRule;
  /** Times every model is timed, each time in a fresh page; the models' order reverses every other round. */
  readonly rounds: number;
  /** WebAssembly threads asked for (onnxruntime-web runs one where the page is not cross-origin isolated). */
  readonly threads: number;
  readonly inputs: string;
  readonly order: string;
}

/**
 * A grid point over all rounds, reduced as bench reduces them (bench/rounds.ts): p50 is the median of
 * the rounds' p50s, the other statistics the median round's. A point that failed in any round failed.
 */
export type BrowserPoint = GridPoint & (
  | {
    readonly state: 'completed'; readonly latency: LatencyStats; readonly roundP50sMs: readonly number[]; readonly spreadMs: number;
    /** From config.json beside the model, as bench counts them; null for a bare .onnx file. */
    readonly flops: FlopCount | null; readonly achievedGflopPerSecondAtP50: number | null;
  }
  | { readonly state: 'failed'; readonly error: string }
);

/** One model: measured (with its points), failed to load (the error), or the device is not available here (why). */
export type BrowserModelResult = { readonly label: string; readonly modelFile: string; readonly modelBytesOnDisk: number } & (
  /** loadMs is the median round's session load. */
  | { readonly state: 'measured'; readonly loadMs: number; readonly wasmThreads: number; readonly points: readonly BrowserPoint[] }
  | { readonly state: 'failed'; readonly error: string }
  | { readonly state: 'unavailable'; readonly reason: string }
);

export interface BrowserBenchReport {
  readonly schemaVersion: typeof BROWSER_BENCH_SCHEMA_VERSION;
  readonly kind: 'albench-browser-bench';
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly startedAt: string;
  /** Other work on the machine shows here. */
  readonly loadAverageAtStart: readonly [number, number, number];
  readonly browser: BrowserInfo;
  readonly settings: BrowserBenchSettings;
  readonly models: readonly BrowserModelResult[];
}
