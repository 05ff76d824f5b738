import { Bench } from 'tinybench';
import type { LatencyStats, StopRule } from './schema.js';

/** tinybench's percentile rule (linear between order statistics), for the p90 it does not report. */
function percentile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (at - lo) * (b - a);
}

/**
 * Times `run` with tinybench: `warmupIterations` untimed calls, then calls until both limits of
 * `stop` are met. Errors propagate (throws: true) instead of becoming a silent 'errored' task.
 */
export async function measureLatency(run: () => Promise<unknown>, warmupIterations: number, stop: StopRule): Promise<LatencyStats> {
  const bench = new Bench({
    iterations: stop.minIterations,
    time: stop.minTimeMs,
    warmup: warmupIterations > 0,
    warmupIterations,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  bench.add('run', run, { async: true });
  const [task] = await bench.run();
  const result = task?.result;
  if (result?.state !== 'completed') throw new Error(`tinybench did not complete the run (state ${result?.state ?? 'missing'})`);
  const l = result.latency;
  return {
    p50Ms: l.p50,
    p90Ms: percentile(l.samples ?? [], 0.9),
    p99Ms: l.p99,
    meanMs: l.mean,
    stdevMs: l.sd,
    minMs: l.min,
    maxMs: l.max,
    relativeMarginOfErrorPercent: l.rme,
    samples: l.samplesCount,
  };
}
