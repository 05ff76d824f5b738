import type { Random } from '../../util/random.js';
import { percentileOfSorted } from '../../util/stats.js';
import type { LoadStep } from './protocol.js';

/**
 * The server scenario's logic, apart from any model: the rates to offer, seeded Poisson arrivals,
 * the open-loop dispatch of one step, and the search that stops at the first rate over the p99
 * bound. The load child serves real requests with it; a test can serve a latency model instead.
 */

/** What serving one rate for one step gave. */
export interface StepFigures {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Three significant digits: rates a reader can compare, the same for every variant started at the same figure. */
const roundRate = (x: number): number => Number(x.toPrecision(3));

/** `steps` rates from `start`, each `factor` times the one before. */
export function rateLadder(start: number, factor: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, k) => roundRate(start * factor ** k));
}

/**
 * Arrival times (ms from the step's start) of a Poisson process at `rate` requests per second, up to
 * `durationMs`; at least the first, so a step too short for its rate still serves a request.
 */
export function poissonArrivals(rate: number, durationMs: number, random: Random): number[] {
  const arrivals: number[] = [];
  let t = -Math.log(1 - random.next()) * (1000 / rate);
  while (t < durationMs || arrivals.length === 0) {
    arrivals.push(t);
    t += -Math.log(1 - random.next()) * (1000 / rate);
  }
  return arrivals;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Open loop: request i is sent at its arrival time whether or not earlier ones were answered, and its
 * latency runs from that scheduled time to its answer, so time spent queued (or sent late by a busy
 * event loop) counts, as it would for the client. Waits for every answer.
 */
export async function serveOpenLoop(arrivalsMs: readonly number[], submit: (request: number) => Promise<void>): Promise<StepFigures> {
  const start = performance.now();
  const answers: Array<Promise<number>> = [];
  for (const [i, at] of arrivalsMs.entries()) {
    const wait = start + at - performance.now();
    // A timer yields to the event loop, where the answers arrive; a busy wait would take a core from the workers.
    if (wait >= 1) await sleep(wait);
    answers.push(submit(i).then(() => performance.now() - (start + at)));
  }
  const latencies = (await Promise.all(answers)).sort((a, b) => a - b);
  return { requests: latencies.length, p50Ms: percentileOfSorted(latencies, 0.5), p99Ms: percentileOfSorted(latencies, 0.99) };
}

/**
 * Offers the rates in order and stops after the first whose p99 is over the bound: rates above it
 * would only queue further. Every step before the last was within the bound.
 */
export async function searchLoad(
  rates: readonly number[], p99BoundMs: number, serve: (rate: number, step: number) => Promise<StepFigures>,
): Promise<LoadStep[]> {
  const steps: LoadStep[] = [];
  for (const [k, rate] of rates.entries()) {
    const figures = await serve(rate, k);
    const withinBound = figures.p99Ms <= p99BoundMs;
    steps.push({ rateRequestsPerSecond: rate, ...figures, withinBound });
    if (!withinBound) break;
  }
  return steps;
}

/** The highest rate served within the bound (null: not even the first), and whether the search found the bound at all. */
export function throughputOf(steps: readonly LoadStep[]): { throughput: number | null; boundCrossed: boolean } {
  const within = steps.filter((s) => s.withinBound);
  return { throughput: within[within.length - 1]?.rateRequestsPerSecond ?? null, boundCrossed: steps.some((s) => !s.withinBound) };
}
