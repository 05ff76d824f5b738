import type { ChildFailure } from '../child-protocol.js';
import type { RuntimeSettings, StopRule } from '../schema.js';
import type { RequestInputs } from './requests.js';

/** What the deployment measurements ask of their child processes, and what each answers (one job, one reply). */

export interface RealInputsJob {
  readonly modelFile: string;
  readonly runtime: RuntimeSettings;
  readonly inputs: RequestInputs;
  readonly warmupIterations: number;
  /** Whole passes over the inputs until both limits are met. */
  readonly stop: StopRule;
}

export interface RealInputsReply {
  readonly ok: true;
  /** Every timed request, in the order run. */
  readonly timesMs: readonly number[];
  /** Wall time of the timed passes, gaps between requests included. */
  readonly wallMs: number;
}

/**
 * Goes in the child's argv, with process.hrtime.bigint() taken just before the fork after it (a decimal
 * string: the monotonic clock every process of the machine shares), so the child starts work at its first line.
 */
export interface ColdStartJob {
  readonly modelFile: string;
  readonly runtime: RuntimeSettings;
  readonly input: RequestInputs;
}

export interface ColdStartReply {
  readonly ok: true;
  /** spawn, runtime-import, read-file, create-session, first-run: consecutive intervals of one clock. */
  readonly parts: ReadonlyArray<{ readonly part: 'spawn' | 'runtime-import' | 'read-file' | 'create-session' | 'first-run'; readonly ms: number }>;
  /** From the fork to the first prediction: the parts' sum. */
  readonly totalMs: number;
  readonly peakRssAfterFirstRunBytes: number;
}

/** One rate offered to the server, as the load child measured it. */
export interface LoadStep {
  readonly rateRequestsPerSecond: number;
  readonly requests: number;
  /** From each request's scheduled arrival to its answer, queueing included. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly withinBound: boolean;
}

export interface LoadJob {
  readonly modelFile: string;
  readonly inputs: RequestInputs;
  readonly workers: number;
  readonly threadsPerWorker: number;
  /** The rates to offer in order, requests per second; the search stops at the first whose p99 is over the bound. */
  readonly rates: readonly number[];
  readonly stepMs: number;
  readonly p99BoundMs: number;
  readonly seed: number;
  /** Untimed requests per worker before the first step. */
  readonly warmupRequests: number;
}

export interface LoadReply {
  readonly ok: true;
  readonly steps: readonly LoadStep[];
}

export type Reply<R> = R | ChildFailure;
