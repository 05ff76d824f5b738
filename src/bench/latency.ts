import { Bench } from 'tinybench';
import { percentileOfSorted } from '../util/stats.js';
import type { LatencyStats, StopRule } from './schema.js';

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
    p90Ms: percentileOfSorted(l.samples ?? [], 0.9),
    p99Ms: l.p99,
    meanMs: l.mean,
    stdevMs: l.sd,
    minMs: l.min,
    maxMs: l.max,
    relativeMarginOfErrorPercent: l.rme,
    samples: l.samplesCount,
  };
}
