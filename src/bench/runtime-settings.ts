import { UsageError } from '../errors.js';
import { readCpuInfo } from './env.js';
import { DEVICES, type Device, type RuntimeSettings, type StopRule } from './schema.js';

/** How a timed run is asked for: `albench bench`'s and `albench compare`'s flags. */
export interface TimingOptions {
  readonly device?: Device;
  /** Several devices timed in the same interleaved rounds; the first is `device`'s place (default: [device]). */
  readonly devices?: readonly Device[];
  /** Intra-op threads; default one per physical core, as onnxruntime itself defaults. */
  readonly threads?: number;
  readonly warmupIterations?: number;
  readonly stop?: StopRule;
  /** Times every model is timed at every point, each time in its own child process. */
  readonly rounds?: number;
}

export interface TimingDefaults {
  readonly warmupIterations: number;
  readonly stop: StopRule;
  readonly rounds: number;
}

/** What every timed run of one invocation uses; compare's cache key holds it, so all of it is data. */
export interface TimingSettings {
  /** The first device's: claims, the recommendation and the report's env use it. */
  readonly runtime: RuntimeSettings;
  /** Every device's, in the order asked for; runtimes[0] is runtime. */
  readonly runtimes: readonly RuntimeSettings[];
  readonly warmupIterations: number;
  readonly stop: StopRule;
  readonly rounds: number;
}

const MAX_THREADS = 1024;
/** More rounds than this only repeats what the spread already shows. */
export const MAX_ROUNDS = 100;

/**
 * The onnxruntime session settings of every measurement (docs/bench.md): graph
 * optimisation `all`, one intra-op thread per physical core unless told, sequential execution.
 * bench and compare both take them from here, so their timings stay comparable.
 */
function runtimeSettings(device: Device, threads?: number): RuntimeSettings {
  return {
    executionProvider: device, intraOpThreads: threads ?? readCpuInfo().physicalCores, interOpThreads: 1,
    graphOptimizationLevel: 'all', executionMode: 'sequential',
  };
}

/** The options with each default filled in: the caller's (bench and compare differ in run length). */
export function timingSettings(o: TimingOptions, defaults: TimingDefaults): TimingSettings {
  const runtimes = (o.devices ?? [o.device ?? 'cpu']).map((d) => runtimeSettings(d, o.threads));
  return {
    runtime: runtimes[0] ?? runtimeSettings('cpu', o.threads),
    runtimes,
    warmupIterations: o.warmupIterations ?? defaults.warmupIterations,
    stop: o.stop ?? defaults.stop,
    rounds: o.rounds ?? defaults.rounds,
  };
}

/** `--device cpu,wasm`: devices timed in the same interleaved rounds, the first the one verdicts use. */
export function parseDeviceList(list: string): Device[] {
  const devices = list.split(',').map((d) => d.trim());
  const unknown = devices.filter((d) => !(DEVICES as readonly string[]).includes(d));
  if (unknown.length > 0) throw new UsageError(`--device: unknown ${unknown.join(', ')}; choose from ${DEVICES.join(', ')} (comma-separated for several)`);
  return devices as Device[];
}

/** The longest a timed child runs under `stop` once its minimum runs are done: its time cap with a precision rule, else its minimum time. */
export function longestTimeMs(stop: StopRule): number {
  return Math.max(stop.minTimeMs, stop.precision?.maxTimeMs ?? 0);
}

/** Rejects flags no run could honour, naming the flag. */
export function checkTimingOptions(o: TimingOptions, defaults: TimingDefaults): void {
  const devices = o.devices ?? [];
  if (o.devices !== undefined && devices.length === 0) throw new UsageError('--device: give at least one device');
  const twice = devices.find((d, i) => devices.indexOf(d) !== i);
  if (twice !== undefined) throw new UsageError(`--device: ${twice} is given twice`);
  const warmup = o.warmupIterations ?? defaults.warmupIterations;
  if (!Number.isInteger(warmup) || warmup < 0) throw new UsageError(`--warmup ${warmup}: give a whole number of iterations, 0 or more`);
  if (o.threads !== undefined && (!Number.isInteger(o.threads) || o.threads < 1 || o.threads > MAX_THREADS)) {
    throw new UsageError(`--threads ${o.threads}: give an integer from 1 to ${MAX_THREADS}`);
  }
  const stop = o.stop ?? defaults.stop;
  if (!Number.isInteger(stop.minIterations) || stop.minIterations < 1) throw new UsageError(`--iterations ${stop.minIterations}: give an integer of 1 or more`);
  if (!(stop.minTimeMs >= 0 && Number.isFinite(stop.minTimeMs))) throw new UsageError(`--time ${stop.minTimeMs}: give milliseconds, 0 or more`);
  const { precision } = stop;
  if (precision !== undefined && !(precision.medianWithinPercent > 0 && Number.isFinite(precision.maxTimeMs) && precision.maxTimeMs >= 0)) {
    throw new UsageError(`stop.precision ${JSON.stringify(precision)}: give medianWithinPercent above 0 and maxTimeMs, 0 or more`);
  }
  const rounds = o.rounds ?? defaults.rounds;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw new UsageError(`--rounds ${rounds}: give an integer from 1 to ${MAX_ROUNDS}`);
}
