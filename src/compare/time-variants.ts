import { bench } from '../bench/bench.js';
import { computeFacts } from '../bench/compute-facts.js';
import type { GridPoint } from '../bench/grid.js';
import { MAX_ROUNDS, type TimingSettings } from '../bench/runtime-settings.js';
import type { BenchReport, Environment, ModelResult, PointResult, RuntimeSettings } from '../bench/schema.js';
import { AlbenchError, IoError, UsageError } from '../errors.js';
import type { DeviceLatency, DeviceName, FailedVariant, LatencyPoint } from '../report/model/types.js';
import type { Progress } from '../util/progress.js';
import { PINNED_ALLOCATOR_NOTE } from '../bench/memory.js';
import { sha256Files } from '../util/sha256.js';
import type { StepCache } from '../cache/cache.js';
import { failedVariant, type BenchFacts, type PreparedVariant, type TimedVariant } from './variant-record.js';

/** What every variant is timed with; all of it, with the machine and the variant file, keys the cached timings (the cache adds the code digest). */
export interface TimingPlan {
  readonly timing: TimingSettings;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly environment: Environment;
  /** Take a cached timing of the same variant file, settings and machine instead of measuring again (--reuse-timings). */
  readonly reuseTimings: boolean;
}

/** Fewer rounds leave too little spread to tell noise from a real difference. */
export const MIN_COMPARE_ROUNDS = 4;

/**
 * compare's rounds rule, checked before any work: an even number (rounds.ts's mirrored order then
 * puts every variant's median slot at the same place, so steady drift of the machine biases no
 * p50), and at least MIN_COMPARE_ROUNDS unless earlier timings are to be reused.
 */
export function checkCompareRounds(rounds: number, reuseTimings: boolean): void {
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw new UsageError(`--rounds ${rounds}: give an integer from 1 to ${MAX_ROUNDS}`);
  if (rounds % 2 === 1) {
    throw new UsageError(`--rounds ${rounds}: compare needs an even number of rounds, so that every variant runs early as often as late`
      + ` and a machine that warms or throttles during the run biases no variant's p50; give --rounds ${rounds + 1}`);
  }
  if (rounds < MIN_COMPARE_ROUNDS && !reuseTimings) {
    throw new UsageError(`--rounds ${rounds}: compare times every variant in at least ${MIN_COMPARE_ROUNDS} rounds, so that the spread between`
      + ` rounds can tell noise from a difference; give --rounds ${MIN_COMPARE_ROUNDS} or more`);
  }
}

/** The CPU model, the runtime, its version, the architecture and instruction sets (compute-facts.ts), the settings, the file. */
async function timingKey(plan: TimingPlan, v: PreparedVariant, fileSha256: string, runtime: RuntimeSettings): Promise<unknown> {
  const { timing, environment } = plan;
  return {
    cpu: environment.cpu.model, computedBy: await computeFacts(runtime.executionProvider),
    runtime, grid: [plan.batchSizes, plan.sequenceLengths], warmup: timing.warmupIterations, stop: timing.stop, rounds: timing.rounds,
    variantKey: v.variantKey, fileSha256,
  };
}

/** When the bench run began and how loaded the machine was then: every point of the run carries it. */
export interface Occasion {
  readonly measuredAt: string;
  readonly loadAverage1m: number;
}

/** What a completed point of bench and of browser-bench both carry: they reduce rounds alike. */
type CompletedFigures = GridPoint & Pick<Extract<PointResult, { state: 'completed' }>,
  'latency' | 'roundP50sMs' | 'spreadMs' | 'flops' | 'achievedGflopPerSecondAtP50'>;

/** A completed point as the report keeps it. */
export function latencyPoint(p: CompletedFigures, at: Occasion): LatencyPoint {
  return {
    batchSize: p.batchSize, sequenceLength: p.sequenceLength,
    p50Ms: p.latency.p50Ms, p90Ms: p.latency.p90Ms, p99Ms: p.latency.p99Ms, meanMs: p.latency.meanMs, stdevMs: p.latency.stdevMs,
    rmePercent: p.latency.relativeMarginOfErrorPercent, samples: p.latency.samples,
    flops: p.flops?.total ?? 0, achievedGflopsPerSecond: p.achievedGflopPerSecondAtP50 ?? 0,
    rounds: p.roundP50sMs.length, roundP50sMs: [...p.roundP50sMs], spreadMs: p.spreadMs,
    measuredAt: at.measuredAt, loadAverage1m: at.loadAverage1m, reused: false,
  };
}

function latencyPoints(points: readonly PointResult[], at: Occasion): LatencyPoint[] {
  return points.map((p) => {
    if (p.state !== 'completed') throw new Error(`b${p.batchSize} s${p.sequenceLength}: ${p.state === 'failed' ? p.error.message : p.message}`);
    return latencyPoint(p, at);
  });
}

/** What the peaks are, said in the report beside them: the runs before the peak vary with the stop rule. */
function memoryCovers(peak: Extract<PointResult, { state: 'completed' }>, warmupIterations: number): string {
  return `peak RSS (VmHWM) of the median round's timing child at b${peak.batchSize} s${peak.sequenceLength}: Node.js, onnxruntime-node, `
    + `the session and its arena after ${warmupIterations} warm-up and ${peak.latency.samples} timed runs; ${PINNED_ALLOCATOR_NOTE}`;
}

/** Memory after loading is the first point's; after the runs, the highest of any point. */
function benchFacts(m: ModelResult, at: Occasion, warmupIterations: number): BenchFacts {
  const latency = latencyPoints(m.points, at);
  const completed = m.points.filter((pt) => pt.state === 'completed');
  const first = completed[0];
  if (first === undefined) return { latency, memory: NO_MEMORY };
  const peak = completed.reduce((a, b) => (b.memory.peakRssAfterRunsBytes > a.memory.peakRssAfterRunsBytes ? b : a));
  return {
    latency,
    memory: {
      peakRssAfterLoadBytes: first.memory.peakRssAfterLoadBytes, peakRssAfterRunsBytes: peak.memory.peakRssAfterRunsBytes,
      covers: memoryCovers(peak, warmupIterations),
    },
  };
}

const NO_MEMORY = { peakRssAfterLoadBytes: 0, peakRssAfterRunsBytes: 0 };

/** A device's timing of one variant: its figures, or the operator its runtime lacks (bench marks every point alike). */
function deviceLatency(m: ModelResult, device: DeviceName, at: Occasion, warmupIterations: number): DeviceLatency {
  const lacking = m.points.find((p) => p.state === 'unsupported');
  if (lacking?.state === 'unsupported') return { device, state: 'unsupported', op: lacking.op, message: lacking.message };
  return { device, state: 'timed', ...benchFacts(m, at, warmupIterations) };
}

interface Measured {
  /** Per variant, one result per device in the plan's order. */
  readonly byVariant: Map<PreparedVariant, ModelResult[]>;
  readonly at: Occasion;
}

/**
 * One bench run over all the variants on all the devices, every round interleaved across all
 * (device, variant) pairs (rounds.ts); the results by variant, device by device.
 */
async function runBench(variants: readonly PreparedVariant[], plan: TimingPlan, progress: Progress): Promise<Measured> {
  const { runtime, runtimes, warmupIterations, stop, rounds } = plan.timing;
  const devices = runtimes.map((r) => r.executionProvider);
  progress.step(`timing ${variants.length} variant(s) on ${devices.join(', ')} in ${rounds} round(s)`);
  const result: BenchReport = await bench({
    models: variants.map((v) => ({ kind: 'path' as const, path: v.files.modelFile, label: v.id })),
    batchSizes: plan.batchSizes, sequenceLengths: plan.sequenceLengths, devices,
    threads: runtime.intraOpThreads, warmupIterations, stop, rounds, progress, readOptimizedGraphs: false,
  });
  const byVariant = new Map(variants.map((v, i) => [v, devices.flatMap((_, d) => result.models[d * variants.length + i] ?? [])] as const));
  return { byVariant, at: { measuredAt: result.startedAt, loadAverage1m: result.environment.loadAverageAtStart[0] } };
}

function reusedFacts(facts: BenchFacts): BenchFacts {
  return { ...facts, latency: facts.latency.map((p) => ({ ...p, reused: true })) };
}

/** Each device's timing of the variant: cached where reused, else from this run (stored, so a later --reuse-timings finds it). */
async function deviceTimings(v: PreparedVariant, keys: readonly unknown[], hits: ReadonlyArray<BenchFacts | null>, plan: TimingPlan,
  measured: Measured, cache: StepCache): Promise<DeviceLatency[]> {
  const results = measured.byVariant.get(v);
  const timings: DeviceLatency[] = [];
  for (const [d, runtime] of plan.timing.runtimes.entries()) {
    const device = runtime.executionProvider;
    const hit = results === undefined ? hits[d] : null;
    if (hit != null) {
      timings.push({ device, state: 'timed', ...hit });
      continue;
    }
    const m = results?.[d];
    if (m === undefined) throw new Error('bench returned no result');
    const timing = deviceLatency(m, device, measured.at, plan.timing.warmupIterations);
    if (timing.state === 'timed') await cache.store('bench', keys[d], () => ({ latency: timing.latency, memory: timing.memory }));
    timings.push(timing);
  }
  return timings;
}

/** The first device's timing is the variant's `timing`; every device's goes in latencyByDevice. */
function timedVariant(v: PreparedVariant, timings: readonly DeviceLatency[], fileSha256: string): TimedVariant {
  const first = timings[0];
  const timing: BenchFacts = first?.state === 'timed' ? { latency: [...first.latency], memory: first.memory ?? NO_MEMORY } : { latency: [], memory: NO_MEMORY };
  return { ...v, state: 'timed', timing, latencyByDevice: timings, fileSha256 };
}

/** A variant with its file hash, its timing keys (one per device) and, with reuseTimings, the cached timings found. */
interface LookedUp {
  readonly state: 'looked up';
  readonly v: PreparedVariant;
  readonly fileSha256: string;
  readonly keys: readonly unknown[];
  readonly hits: ReadonlyArray<BenchFacts | null>;
}

type Row = FailedVariant | LookedUp;

/** Each variant's file hash and cached timings on its own: a file that cannot be read fails that variant, not the run. */
async function lookUpOrFail(v: PreparedVariant, plan: TimingPlan, cache: StepCache): Promise<Row> {
  try {
    const [fileSha256 = ''] = await sha256Files([v.files.modelFile]);
    const keys: unknown[] = [];
    const hits: Array<BenchFacts | null> = [];
    for (const runtime of plan.timing.runtimes) {
      const key = await timingKey(plan, v, fileSha256, runtime);
      const hit = plan.reuseTimings ? await cache.lookup<BenchFacts>('bench', key) : null;
      keys.push(key);
      hits.push(hit === null ? null : reusedFacts(hit.value));
    }
    return { state: 'looked up', v, fileSha256, keys, hits };
  } catch (e) {
    // sha256Files reports from its worker thread, without Node's error codes: the file is named here.
    const problem = e instanceof AlbenchError ? e : new IoError(`${v.files.modelFile}: cannot be read to time it (${(e as Error).message}); run again`, e);
    return failedVariant(v, problem);
  }
}

/**
 * Times every prepared variant afresh on every device, all in one bench run of `rounds` rounds. With
 * reuseTimings a cached timing of the same variant file, device settings and machine is taken instead and
 * marked reused (a variant missing one device's is timed afresh on all of them). A device lacking an
 * operator is a finding, not a failure. A variant whose timing fails keeps the reason; failed variants pass through.
 */
export async function timeVariants(
  records: ReadonlyArray<FailedVariant | PreparedVariant>, plan: TimingPlan, cache: StepCache, progress: Progress,
): Promise<Array<FailedVariant | TimedVariant>> {
  const rows: Row[] = [];
  for (const r of records) rows.push(r.state === 'prepared' ? await lookUpOrFail(r, plan, cache) : r);
  const looked = rows.filter((row): row is LookedUp => row.state === 'looked up');
  const toTime = looked.filter((row) => row.hits.some((h) => h === null)).map((row) => row.v);
  const measured: Measured = toTime.length > 0 ? await runBench(toTime, plan, progress) : { byVariant: new Map(), at: { measuredAt: '', loadAverage1m: 0 } };
  const timed: Array<FailedVariant | TimedVariant> = [];
  for (const row of rows) {
    if (row.state !== 'looked up') {
      timed.push(row);
      continue;
    }
    try {
      const timings = await deviceTimings(row.v, row.keys, row.hits, plan, measured, cache);
      timed.push(timedVariant(row.v, timings, row.fileSha256));
    } catch (e) {
      timed.push(failedVariant(row.v, e));
    }
  }
  return timed;
}
