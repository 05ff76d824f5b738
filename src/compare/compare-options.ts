import { BENCH_DEFAULTS } from '../bench/bench.js';
import type { Device, StopRule } from '../bench/schema.js';
import type { BrowserDevice } from '../browser/protocol.js';
import type { Constraints, SubsetSetting, VariantName } from '../report/model/types.js';
import type { Progress } from '../util/progress.js';
import type { DeploymentRequest } from './deployment-request.js';
import type { ShardSpec } from './shard.js';

export interface CompareOptions {
  /** Bundled names (`bert`, `albert`), checkpoint folders or hub ids. */
  readonly models: readonly string[];
  readonly variants: readonly VariantName[];
  readonly task: string;
  readonly dataDir: string;
  readonly subset: SubsetSetting;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly device: Device;
  /** Several devices timed in the same rounds (--device cpu,wasm); the first is `device`, which claims and the recommendation use. */
  readonly devices?: readonly Device[];
  /** onnxruntime-web inside headless Chromium (--device cpu,browser-wasm), timed after `devices` with the same settings. */
  readonly browserDevices?: readonly BrowserDevice[];
  readonly threads?: number;
  readonly warmupIterations: number;
  readonly stop: StopRule;
  /** Times every variant is timed, each time in its own process: even, and at least 4 unless reuseTimings (default 4). */
  readonly rounds?: number;
  /** Take a cached timing of the same variant file, settings and machine instead of timing it again; marked reused. */
  readonly reuseTimings?: boolean;
  readonly constraints: Constraints;
  readonly reportsDir: string;
  readonly name: string;
  readonly cacheDir: string;
  /** false (`--no-cache`): recompute every step for this run; a result is stored only where the cache has no valid entry (cache.ts). */
  readonly reuseCache?: boolean;
  /** Where warnings go (a damaged cache entry rebuilt), one line each; stderr unless told. */
  readonly warn?: (line: string) => void;
  readonly progress?: Progress;
  /** Write a folder model's absolute path into the JSON's `source` (never into md, html, csv or the summary). */
  readonly fullPaths?: boolean;
  /** int8-dynamic keeps biases and LayerNorm vectors float32 instead of the recipe's float16. */
  readonly float32Vectors?: boolean;
  /** false (`--no-transformers-js`): skip loading each variant in transformers.js; the report has no transformers.js column. */
  readonly checkTransformersJs?: boolean;
  /** Make only shard K of N of the (model, variant) pairs (shard.ts) and write a partial report. */
  readonly shard?: ShardSpec;
  /** Also measure what a deployment costs: real inputs, cold start, load (--deployment; time-deployment.ts). Never cached. */
  readonly deployment?: DeploymentRequest;
}

/**
 * Each timed child runs at least 30 times, then until its p50 is known within ±1% (95%), for at
 * most 250 ms: the spread between rounds, not one child's precision, decides ties, so a child need
 * not run longer than its own figure needs. For the bundled minis the cap, not the interval, ends
 * most children (report.json's `samples` x mean come to about the cap), and what the extra runs of a longer cap
 * bought was far below the spread between rounds: `npm run bench:verdicts` measures both caps' spread.
 */
const COMPARE_STOP: StopRule = { minIterations: 30, minTimeMs: 0, precision: { medianWithinPercent: 1, maxTimeMs: 250 } };

/**
 * Real inputs (--deployment) cycle through their sample for a fixed time, not until a precision rule
 * is met: the mean per request needs the whole sample's mix of lengths, whatever the model's speed.
 */
const REAL_INPUT_TIME_MS = 750;

/** How long real inputs cycle through their sample under `stop`: `--time MS` when given, else 750 ms. */
export function realInputTimeMs(stop: StopRule): number {
  return stop.precision === undefined ? stop.minTimeMs : Math.max(stop.minTimeMs, REAL_INPUT_TIME_MS);
}

/** compare's defaults: the same warm-up as `albench bench`, shorter runs, since a report times every variant. */
export const COMPARE_DEFAULTS = {
  variants: ['fp32', 'fp32-optimized', 'int8-dynamic'] as VariantName[],
  task: 'sst2',
  batchSizes: [1],
  sequenceLengths: [128],
  warmupIterations: BENCH_DEFAULTS.warmupIterations,
  stop: COMPARE_STOP,
  rounds: 4,
};
