import { bench } from '../bench/bench.js';
import { MAX_ROUNDS, type TimingSettings } from '../bench/runtime-settings.js';
import type { BenchReport, Environment, ModelResult, PointResult } from '../bench/schema.js';
import { UsageError } from '../errors.js';
import type { FailedVariant, LatencyPoint } from '../report/types.js';
import type { Progress } from '../util/progress.js';
import { sha256Files } from '../util/sha256.js';
import type { StepCache } from './cache.js';
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

/** Fewer rounds leave no spread to tell noise from a real difference. */
export const MIN_COMPARE_ROUNDS = 3;

/** compare's rounds rule, checked before any work: at least MIN_COMPARE_ROUNDS, unless earlier timings are to be reused. */
export function checkCompareRounds(rounds: number, reuseTimings: boolean): void {
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw new UsageError(`--rounds ${rounds}: give an integer from 1 to ${MAX_ROUNDS}`);
  if (rounds < MIN_COMPARE_ROUNDS && !reuseTimings) {
    throw new UsageError(`--rounds ${rounds}: compare times every variant in at least ${MIN_COMPARE_ROUNDS} rounds, so that the spread between`
      + ` rounds can tell noise from a difference; give --rounds ${MIN_COMPARE_ROUNDS} or more`);
  }
}

function timingKey(plan: TimingPlan, v: PreparedVariant, fileSha256: string): unknown {
  const { timing, environment } = plan;
  return {
    cpu: environment.cpu.model, ort: environment.onnxruntime.version, runtime: timing.runtime,
    grid: [plan.batchSizes, plan.sequenceLengths], warmup: timing.warmupIterations, stop: timing.stop, rounds: timing.rounds,
    variantKey: v.variantKey, fileSha256,
  };
}

/** When the bench run began and how loaded the machine was then: every point of the run carries it. */
interface Occasion {
  readonly measuredAt: string;
  readonly loadAverage1m: number;
}

function latencyPoints(points: readonly PointResult[], at: Occasion): LatencyPoint[] {
  return points.map((p) => {
    if (p.state === 'failed') throw new Error(`b${p.batchSize} s${p.sequenceLength}: ${p.error.message}`);
    return {
      batchSize: p.batchSize, sequenceLength: p.sequenceLength,
      p50Ms: p.latency.p50Ms, p90Ms: p.latency.p90Ms, p99Ms: p.latency.p99Ms, meanMs: p.latency.meanMs, stdevMs: p.latency.stdevMs,
      rmePercent: p.latency.relativeMarginOfErrorPercent, samples: p.latency.samples,
      flops: p.flops?.total ?? 0, achievedGflopsPerSecond: p.achievedGflopPerSecondAtP50 ?? 0,
      rounds: p.roundP50sMs.length, roundP50sMs: [...p.roundP50sMs], spreadMs: p.spreadMs,
      measuredAt: at.measuredAt, loadAverage1m: at.loadAverage1m, reused: false,
    };
  });
}

/** Memory after loading is the first point's; after the runs, the highest of any point. */
function benchFacts(m: ModelResult, at: Occasion): BenchFacts {
  const latency = latencyPoints(m.points, at);
  const first = m.points.find((pt) => pt.state === 'completed');
  if (first?.state !== 'completed') return { latency, memory: { peakRssAfterLoadBytes: 0, peakRssAfterRunsBytes: 0 } };
  const peakRssAfterRunsBytes = Math.max(...m.points.map((pt) => (pt.state === 'completed' ? pt.memory.peakRssAfterRunsBytes : 0)));
  return { latency, memory: { peakRssAfterLoadBytes: first.memory.peakRssAfterLoadBytes, peakRssAfterRunsBytes } };
}

interface Measured {
  readonly byVariant: Map<PreparedVariant, ModelResult>;
  readonly at: Occasion;
}

/** One bench run over all the variants, every round interleaved across all models (rounds.ts); the results by variant. */
async function runBench(variants: readonly PreparedVariant[], plan: TimingPlan, progress: Progress): Promise<Measured> {
  const { runtime, warmupIterations, stop, rounds } = plan.timing;
  progress.step(`timing ${variants.length} variant(s) in ${rounds} round(s)`);
  const result: BenchReport = await bench({
    models: variants.map((v) => ({ kind: 'path' as const, path: v.files.modelFile, label: v.id })),
    batchSizes: plan.batchSizes, sequenceLengths: plan.sequenceLengths, device: runtime.executionProvider,
    threads: runtime.intraOpThreads, warmupIterations, stop, rounds, progress,
  });
  const byVariant = new Map(variants.flatMap((v, i) => {
    const m = result.models[i];
    return m === undefined ? [] : [[v, m] as const];
  }));
  return { byVariant, at: { measuredAt: result.startedAt, loadAverage1m: result.environment.loadAverageAtStart[0] } };
}

async function timedFrom(v: PreparedVariant, key: unknown, measured: Measured, cache: StepCache): Promise<FailedVariant | TimedVariant> {
  try {
    const m = measured.byVariant.get(v);
    if (m === undefined) throw new Error('bench returned no result');
    const timing = benchFacts(m, measured.at);
    // Stored even when not asked to reuse, so a later --reuse-timings finds the newest measurement.
    await cache.store('bench', key, () => timing);
    return { ...v, state: 'timed', timing };
  } catch (e) {
    return failedVariant(v, e);
  }
}

function reusedFacts(facts: BenchFacts): BenchFacts {
  return { ...facts, latency: facts.latency.map((p) => ({ ...p, reused: true })) };
}

/**
 * Times every prepared variant afresh, all in one bench run of `rounds` rounds. With reuseTimings
 * a cached timing of the same variant file, settings and machine is taken instead and marked
 * reused. A variant whose timing fails keeps the reason; failed variants pass through.
 */
export async function timeVariants(
  records: ReadonlyArray<FailedVariant | PreparedVariant>, plan: TimingPlan, cache: StepCache, progress: Progress,
): Promise<Array<FailedVariant | TimedVariant>> {
  const prepared = records.filter((r): r is PreparedVariant => r.state === 'prepared');
  const digests = await sha256Files(prepared.map((v) => v.files.modelFile));
  const keys = new Map(prepared.map((v, i) => [v, timingKey(plan, v, digests[i] ?? '')]));
  const hits = new Map<PreparedVariant, BenchFacts>();
  for (const v of plan.reuseTimings ? prepared : []) {
    const hit = await cache.lookup<BenchFacts>('bench', keys.get(v));
    if (hit !== null) hits.set(v, reusedFacts(hit.value));
  }
  const toTime = prepared.filter((v) => !hits.has(v));
  const measured: Measured = toTime.length > 0 ? await runBench(toTime, plan, progress) : { byVariant: new Map(), at: { measuredAt: '', loadAverage1m: 0 } };
  const timed: Array<FailedVariant | TimedVariant> = [];
  for (const r of records) {
    const hit = r.state === 'prepared' ? hits.get(r) : undefined;
    if (r.state !== 'prepared') timed.push(r);
    else if (hit !== undefined) timed.push({ ...r, state: 'timed', timing: hit });
    else timed.push(await timedFrom(r, keys.get(r), measured, cache));
  }
  return timed;
}
