import { Bench } from 'tinybench';
import { medianInterval95OfSorted, percentileOfSorted } from '../util/stats.js';
import type { LatencyStats, PrecisionStop, StopRule } from './schema.js';

/** How often (in runs) the precision rule looks at the samples: sorting them every run would cost more than it saves. */
const PRECISION_CHECK_EVERY = 5;

/** Whether the median of `samples` is known to within the rule's percent (95% interval, both sides). */
export function medianIsPrecise(samples: readonly number[], rule: PrecisionStop): boolean {
  const sorted = [...samples].sort((a, b) => a - b);
  const { low, high } = medianInterval95OfSorted(sorted);
  const mid = percentileOfSorted(sorted, 0.5);
  const limit = (mid * rule.medianWithinPercent) / 100;
  return mid - low <= limit && high - mid <= limit;
}

/**
 * A run wrapped so the precision rule sees each run's time, and a signal that ends tinybench's loop
 * once the rule is met. The stopwatch around `run` adds two clock reads to what tinybench times:
 * about 0.1 µs against runs of milliseconds. The check itself runs in afterEach, outside the timed call.
 */
function precisionStop(run: () => Promise<unknown>, stop: StopRule & { readonly precision: PrecisionStop }) {
  const controller = new AbortController();
  const samples: number[] = [];
  let timedMs = 0;
  const timed = async () => {
    const t = performance.now();
    await run();
    const ms = performance.now() - t;
    samples.push(ms);
    timedMs += ms;
  };
  // Time counts as tinybench counts it: the sum of the timed runs.
  const afterEach = () => {
    const n = samples.length;
    if (n < stop.minIterations || n % PRECISION_CHECK_EVERY !== 0 || timedMs < stop.minTimeMs) return;
    if (medianIsPrecise(samples, stop.precision)) controller.abort();
  };
  return { timed, afterEach, signal: controller.signal };
}

/**
 * Times `run` with tinybench: `warmupIterations` untimed calls, then calls until both limits of
 * `stop` are met, or with `stop.precision` until the p50 is precise enough or its time cap has passed.
 * Errors propagate (throws: true) instead of becoming a silent 'errored' task.
 */
export async function measureLatency(run: () => Promise<unknown>, warmupIterations: number, stop: StopRule): Promise<LatencyStats> {
  for (let i = 0; i < warmupIterations; i++) await run();
  const precise = stop.precision === undefined ? null : precisionStop(run, { ...stop, precision: stop.precision });
  const bench = new Bench({
    iterations: stop.minIterations,
    time: stop.precision === undefined ? stop.minTimeMs : Math.max(stop.minTimeMs, stop.precision.maxTimeMs),
    warmup: false,
    retainSamples: true,
    throws: true,
    ...(precise === null ? {} : { signal: precise.signal }),
  });
  bench.add('run', precise?.timed ?? run, { async: true, ...(precise === null ? {} : { afterEach: precise.afterEach }) });
  const [task] = await bench.run();
  const result = task?.result;
  // 'aborted-with-statistics' is the precision rule's stop: every run so far, complete.
  if (result?.state !== 'completed' && result?.state !== 'aborted-with-statistics') {
    throw new Error(`tinybench did not complete the run (state ${result?.state ?? 'missing'})`);
  }
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
