import type { BrowserDevice, PageEnvironment, PageReply } from './protocol.js';
import type { StopRule } from '../bench/schema.js';

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
  /** WebAssembly threads asked for (onnxruntime-web runs one where the page is not cross-origin isolated). */
  readonly threads: number;
  readonly inputs: string;
  readonly order: string;
}

/** One model: measured (with its points), failed to load (the error), or the device is not available here (why). */
export type BrowserModelResult = { readonly label: string; readonly modelFile: string; readonly modelBytesOnDisk: number } & PageReply;

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
