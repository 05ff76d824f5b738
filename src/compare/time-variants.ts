import { bench } from '../bench/bench.js';
import type { TimingSettings } from '../bench/runtime-settings.js';
import type { Environment, ModelResult, PointResult } from '../bench/schema.js';
import type { FailedVariant, LatencyPoint } from '../report/types.js';
import type { Progress } from '../util/progress.js';
import { ALBENCH_VERSION } from '../version.js';
import type { StepCache } from './cache.js';
import { failedVariant, type BenchFacts, type PreparedVariant, type TimedVariant } from './variant-record.js';

/** What every variant is timed with; all of it, with the machine, keys the cached timings. */
export interface TimingPlan {
  readonly timing: TimingSettings;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly environment: Environment;
}

function timingKey(plan: TimingPlan, v: PreparedVariant): unknown {
  const { timing, environment } = plan;
  return {
    v: ALBENCH_VERSION, cpu: environment.cpu.model, ort: environment.onnxruntime.version, runtime: timing.runtime,
    grid: [plan.batchSizes, plan.sequenceLengths], warmup: timing.warmupIterations, stop: timing.stop, variantKey: v.variantKey,
  };
}

function latencyPoints(points: readonly PointResult[]): LatencyPoint[] {
  return points.map((p) => {
    if (p.state === 'failed') throw new Error(`b${p.batchSize} s${p.sequenceLength}: ${p.error.message}`);
    return {
      batchSize: p.batchSize, sequenceLength: p.sequenceLength,
      p50Ms: p.latency.p50Ms, p90Ms: p.latency.p90Ms, p99Ms: p.latency.p99Ms, meanMs: p.latency.meanMs, stdevMs: p.latency.stdevMs,
      rmePercent: p.latency.relativeMarginOfErrorPercent, samples: p.latency.samples,
      flops: p.flops?.total ?? 0, achievedGflopsPerSecond: p.achievedGflopPerSecondAtP50 ?? 0,
    };
  });
}

/** Memory after loading is the first point's; after the runs, the highest of any point. */
function benchFacts(m: ModelResult): BenchFacts {
  const latency = latencyPoints(m.points);
  const first = m.points.find((pt) => pt.state === 'completed');
  if (first?.state !== 'completed') return { latency, memory: { peakRssAfterLoadBytes: 0, peakRssAfterRunsBytes: 0 } };
  const peakRssAfterRunsBytes = Math.max(...m.points.map((pt) => (pt.state === 'completed' ? pt.memory.peakRssAfterRunsBytes : 0)));
  return { latency, memory: { peakRssAfterLoadBytes: first.memory.peakRssAfterLoadBytes, peakRssAfterRunsBytes } };
}

/** One bench run over all the variants, interleaved as bench orders its models; the results by variant. */
async function runBench(variants: readonly PreparedVariant[], plan: TimingPlan, progress: Progress): Promise<Map<PreparedVariant, ModelResult>> {
  const { runtime, warmupIterations, stop } = plan.timing;
  progress.step(`timing ${variants.length} variant(s)`);
  const result = await bench({
    models: variants.map((v) => ({ kind: 'path' as const, path: v.files.modelFile, label: v.id })),
    batchSizes: plan.batchSizes, sequenceLengths: plan.sequenceLengths, device: runtime.executionProvider,
    threads: runtime.intraOpThreads, warmupIterations, stop, progress,
  });
  return new Map(variants.flatMap((v, i) => {
    const m = result.models[i];
    return m === undefined ? [] : [[v, m] as const];
  }));
}

async function timedFrom(v: PreparedVariant, m: ModelResult | undefined, plan: TimingPlan, cache: StepCache): Promise<FailedVariant | TimedVariant> {
  try {
    if (m === undefined) throw new Error('bench returned no result');
    const timing = benchFacts(m);
    await cache.store('bench', timingKey(plan, v), () => timing);
    return { ...v, state: 'timed', timing };
  } catch (e) {
    return failedVariant(v, e);
  }
}

/**
 * Times every prepared variant: a cached timing is reused; the rest are timed together in one
 * bench run. A variant whose timing fails keeps the reason; failed variants pass through.
 */
export async function timeVariants(
  records: ReadonlyArray<FailedVariant | PreparedVariant>, plan: TimingPlan, cache: StepCache, progress: Progress,
): Promise<Array<FailedVariant | TimedVariant>> {
  const looked = records.map((r) => (r.state === 'prepared' ? { r, hit: cache.lookup<BenchFacts>('bench', timingKey(plan, r)) } : { r, hit: null }));
  const toTime = looked.flatMap(({ r, hit }) => (r.state === 'prepared' && hit === null ? [r] : []));
  const measured = toTime.length > 0 ? await runBench(toTime, plan, progress) : new Map<PreparedVariant, ModelResult>();
  const timed: Array<FailedVariant | TimedVariant> = [];
  for (const { r, hit } of looked) {
    if (r.state !== 'prepared') timed.push(r);
    else if (hit !== null) timed.push({ ...r, state: 'timed', timing: hit.value });
    else timed.push(await timedFrom(r, measured.get(r), plan, cache));
  }
  return timed;
}
