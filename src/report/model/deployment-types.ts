import type { DeviceName } from './environment.js';
import type { TunedSession, TuneRun } from './tuned-types.js';

/**
 * What a deployment costs, beyond the fixed latency grid: each variant's cost at the task's real
 * inputs, its cold start, its throughput under load, and its tuned session settings (compare
 * --deployment, or --real-inputs, --cold-start, --load, --tune one by one; tuned-types.ts). All optional: a report without them reads as before.
 */

/** The rows one model's real-input cost was timed on: its own tokenizer decides their token counts. */
export interface RealInputSample {
  readonly model: string;
  /** 0-based indices into the dev split, ascending: a seeded sample of the scored rows (all of them when fewer). */
  readonly rows: readonly number[];
  /** Per sampled row, its token count ([CLS] and [SEP] included, truncated as evaluation truncates): the length it was timed at. */
  readonly tokenCounts: readonly number[];
  /** How many rows were scored, that the sample was drawn from. */
  readonly scoredRows: number;
}

/** How the real-input cost was asked for, and each model's sample. */
export interface RealInputsRun {
  readonly sampleSize: number;
  readonly seed: number;
  readonly samples: readonly RealInputSample[];
}

export interface ColdStartRun {
  /** Fresh processes (a browser: fresh pages) per variant and device; the run with the median total is reported. */
  readonly runs: number;
  /** The connection a browser's download is computed for (Mbit/s, 10^6 bits per second). */
  readonly bandwidthMbitPerSecond: number;
}

/** Which inputs the load test sent: the real-input sample when it was measured, else the grid's first point. */
export type LoadInputs = 'real-inputs' | 'grid-first-point';

export interface LoadRun {
  readonly device: 'cpu';
  /** A rate's p99 above this ends the search. */
  readonly p99BoundMs: number;
  /** How long each rate is offered. */
  readonly stepMs: number;
  /** Each rate is the previous one times this. */
  readonly rateFactor: number;
  /** The search stops here even if the bound was never crossed. */
  readonly maxSteps: number;
  /** Times every (variant, pool) is served, each in its own process, the order reversed between rounds. */
  readonly rounds: number;
  /** Seeds the Poisson arrivals (the same arrivals for every variant at a rate). */
  readonly seed: number;
  readonly inputs: LoadInputs;
}

/** The run's deployment settings: present only for what was asked. */
export interface DeploymentRun {
  readonly realInputs?: RealInputsRun;
  readonly coldStart?: ColdStartRun;
  readonly load?: LoadRun;
  readonly tune?: TuneRun;
}

/** A variant's cost per request at the real inputs, one at a time, on one device. */
export type RealInputCost =
  | {
      readonly device: DeviceName;
      readonly state: 'measured';
      /** The median of roundMeansMs. */
      readonly meanMs: number;
      /** p50Ms to requestsPerSecond are the median round's own (the round whose mean is the median; the lower middle one for an even count). */
      readonly p50Ms: number;
      readonly p99Ms: number;
      /** Relative margin of error of the mean, in percent (95%). */
      readonly rmePercent: number;
      /** Requests timed in the median round: whole passes over the sample. */
      readonly requests: number;
      /** Requests completed per second of wall time, one at a time (concurrency 1). */
      readonly requestsPerSecond: number;
      readonly rounds: number;
      readonly roundMeansMs: readonly number[];
      /** Highest minus lowest of roundMeansMs. */
      readonly spreadMs: number;
      readonly measuredAt: string;
      readonly loadAverage1m: number;
    }
  | { readonly device: DeviceName; readonly state: 'failed'; readonly error: string };

/** The parts of a cold start, in the order they happen; a browser opens a page instead of spawning and importing. */
export type ColdStartPartName = 'spawn' | 'runtime-import' | 'open-page' | 'read-file' | 'create-session' | 'first-run';

export interface ColdStartPart {
  readonly part: ColdStartPartName;
  readonly ms: number;
}

/** A download is not measured: it is the file's size at the run's bandwidth. */
export interface ComputedDownload {
  readonly computed: true;
  readonly bytes: number;
  readonly bandwidthMbitPerSecond: number;
  readonly ms: number;
}

/** From nothing to the first prediction, on one device. */
export type ColdStart =
  | {
      readonly device: DeviceName;
      readonly state: 'measured';
      /** The median run's total: its parts add up to it. */
      readonly totalMs: number;
      readonly parts: readonly ColdStartPart[];
      /** Every run's total, in run order. */
      readonly runTotalsMs: readonly number[];
      /** Where the model file was read from: the OS's page cache (albench reads it once before the runs), directly or through albench's local server. */
      readonly readFrom: 'os-cache' | 'local-server';
      /** The median run's peak resident set after its first run (as peakRssAfterRunsBytes is measured); null in a browser. */
      readonly peakRssAfterFirstRunBytes: number | null;
      /** For a browser target (wasm, browser-wasm, browser-webgpu): the file's download, computed, not part of totalMs. */
      readonly download?: ComputedDownload;
      readonly measuredAt: string;
      readonly loadAverage1m: number;
    }
  | { readonly device: DeviceName; readonly state: 'failed'; readonly error: string };

/** One rate offered to the server. */
export interface LoadStep {
  readonly rateRequestsPerSecond: number;
  /** Requests that arrived in the step (and were all answered). */
  readonly requests: number;
  /** From each request's scheduled arrival to its answer, queueing included. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly withinBound: boolean;
}

/** One way to serve: `workers` worker threads, each with its own session of `threadsPerWorker` intra-op threads. */
export interface LoadPool {
  readonly workers: number;
  readonly threadsPerWorker: number;
  /** The highest rate within the bound in every round; null when even the first rate was over it. */
  readonly throughputRequestsPerSecond: number | null;
  /** Each round's highest rate within the bound (null: none), in round order. */
  readonly roundThroughputs: ReadonlyArray<number | null>;
  /** False when the search ran out of steps before a rate went over the bound: the throughput is then at least this. */
  readonly boundCrossed: boolean;
  /** The steps of the round with the lowest throughput (the one reported), up to the first over the bound. */
  readonly steps: readonly LoadStep[];
}

export type LoadResult =
  | { readonly device: 'cpu'; readonly state: 'measured'; readonly pools: readonly LoadPool[]; readonly measuredAt: string; readonly loadAverage1m: number }
  | { readonly device: 'cpu'; readonly state: 'failed'; readonly error: string };

/** A completed variant's deployment figures: each present only when asked for. */
export interface VariantDeployment {
  /** Per Node device timed (cpu, cuda, wasm), in env.devices' order. */
  readonly realInputs?: readonly RealInputCost[];
  /** Per device timed, browser devices included. */
  readonly coldStart?: readonly ColdStart[];
  readonly load?: LoadResult;
  /** Per Node device tuned (cpu, cuda, wasm), in env.devices' order. */
  readonly tuned?: readonly TunedSession[];
}
