import type { LatencyStats, StopRule } from '../bench/schema.js';
import type { GridPoint } from '../bench/grid.js';

/**
 * What passes between albench (Node, through playwright-core) and the page it serves to Chromium
 * (page-script.ts): plain JSON both ways. The page measures; Node only asks and records.
 */

/** onnxruntime-web's backends albench measures in a browser: WebAssembly (CPU) and WebGPU. */
export type BrowserDevice = 'wasm' | 'webgpu';
export const BROWSER_DEVICES: readonly BrowserDevice[] = ['wasm', 'webgpu'];

export interface PageJob {
  readonly device: BrowserDevice;
  /** WebAssembly threads asked for; onnxruntime-web runs one where the page is not cross-origin isolated. */
  readonly threads: number;
  /** The model as the page fetches it from albench's server, and its external-data file when it has one. */
  readonly modelUrl: string;
  readonly externalData: { readonly path: string; readonly url: string } | null;
  readonly points: readonly GridPoint[];
  readonly tokenIdLimit: number;
  readonly warmupIterations: number;
  readonly stop: StopRule;
  /** Time WebGPU on a software adapter (SwiftShader) too, instead of calling it not available. */
  readonly allowSoftwareAdapter: boolean;
}

/** What the browser offers, read in the page before any model loads. */
export interface PageEnvironment {
  readonly userAgent: string;
  readonly hardwareConcurrency: number;
  /** Without it SharedArrayBuffer is missing and onnxruntime-web runs one thread. */
  readonly crossOriginIsolated: boolean;
  readonly onnxruntimeWebVersion: string;
  /** Null when WebGPU is usable; otherwise why not, in words (with --device wasm: not checked). */
  readonly webgpuUnavailable: string | null;
  /** The adapter WebGPU found (vendor, architecture, description as the browser gives them); null when none. */
  readonly webgpuAdapter: string | null;
}

export type PagePoint = GridPoint & (
  | { readonly state: 'completed'; readonly latency: LatencyStats }
  | { readonly state: 'failed'; readonly error: string }
);

export type PageReply =
  | { readonly state: 'measured'; readonly loadMs: number; readonly wasmThreads: number; readonly points: readonly PagePoint[] }
  /** The session did not load (an op the backend lacks, a file it cannot read): every point would fail alike. */
  | { readonly state: 'failed'; readonly error: string }
  | { readonly state: 'unavailable'; readonly reason: string };

/** A cold start's work inside a fresh page: fetch the model, create the session, run it once at `point`. */
export type ColdStartPageJob = Pick<PageJob, 'device' | 'threads' | 'modelUrl' | 'externalData' | 'tokenIdLimit'> & { readonly point: GridPoint };

/** Consecutive intervals of the page's clock; the page's own opening is timed outside it. */
export type ColdStartPageReply =
  | { readonly state: 'measured'; readonly readFileMs: number; readonly createSessionMs: number; readonly firstRunMs: number }
  | { readonly state: 'failed'; readonly error: string };

/** The page's entry points, on globalThis once its script has run. */
export interface PageApi {
  environment(device: BrowserDevice, allowSoftwareAdapter: boolean): Promise<PageEnvironment>;
  measure(job: PageJob): Promise<PageReply>;
  coldStart(job: ColdStartPageJob): Promise<ColdStartPageReply>;
}
export const PAGE_API = 'albenchBrowser';
