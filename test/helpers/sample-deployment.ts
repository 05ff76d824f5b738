import type { ColdStart, LoadResult, RealInputCost, VariantDeployment } from '../../src/report/model/deployment-types.js';
import type { RoundsFigures, TunedSession } from '../../src/report/model/tuned-types.js';
import type { Report, SessionSettings } from '../../src/report/model/types.js';
import { editable, SAMPLE_MEASURED_AT, sampleReport, type DeepMutable } from './sample-report.js';

/**
 * The sample report (invented figures, nothing measured) with invented deployment figures of the
 * right shape and magnitude for the bundled models: real-input cost a third of the grid's, a cold
 * start whose parts add up, and two load pools. For the renderers, schema, merge and regress tests.
 */
const SAMPLE_TOKEN_COUNTS = Array.from({ length: 128 }, (_, i) => 6 + ((i * 37) % 48));

function realInputs(gridP50Ms: number): RealInputCost[] {
  const meanMs = Number((gridP50Ms / 3).toFixed(3));
  return [{
    device: 'cpu', state: 'measured', meanMs, p50Ms: meanMs * 0.95, p99Ms: meanMs * 1.6, rmePercent: 1.2, requests: 512,
    requestsPerSecond: Number((1000 / meanMs / 1.05).toFixed(1)), rounds: 3, roundMeansMs: [meanMs * 1.01, meanMs, meanMs * 0.98],
    spreadMs: meanMs * 0.03, measuredAt: SAMPLE_MEASURED_AT, loadAverage1m: 0.12,
  }];
}

function coldStart(sizeBytes: number): ColdStart[] {
  const parts = [
    { part: 'spawn' as const, ms: 41.5 }, { part: 'runtime-import' as const, ms: 63.25 }, { part: 'read-file' as const, ms: sizeBytes / 2e6 },
    { part: 'create-session' as const, ms: 88.5 }, { part: 'first-run' as const, ms: 9.75 },
  ];
  const totalMs = parts.reduce((s, p) => s + p.ms, 0);
  return [{
    device: 'cpu', state: 'measured', totalMs, parts, runTotalsMs: [totalMs + 12, totalMs, totalMs - 3], readFrom: 'os-cache',
    peakRssAfterFirstRunBytes: 90e6 + sizeBytes, measuredAt: SAMPLE_MEASURED_AT, loadAverage1m: 0.12,
  }];
}

function load(capacity: number): LoadResult {
  const rates = [0.25, 0.31, 0.39, 0.49, 0.61, 0.76, 0.95, 1.19].map((f) => Number((capacity * f).toPrecision(3)));
  const steps = (over: number) => rates.slice(0, over + 1).map((rate, k) => ({
    rateRequestsPerSecond: rate, requests: Math.round(rate * 2), p50Ms: 1 + k * 0.2, p99Ms: k === over ? 71.5 : 3 + k * 2, withinBound: k !== over,
  }));
  return {
    device: 'cpu', state: 'measured', measuredAt: SAMPLE_MEASURED_AT, loadAverage1m: 0.12,
    pools: [
      { workers: 1, threadsPerWorker: 2, throughputRequestsPerSecond: rates[5] ?? null, roundThroughputs: [rates[5] ?? null, rates[6] ?? null],
        boundCrossed: true, steps: steps(6) },
      { workers: 2, threadsPerWorker: 1, throughputRequestsPerSecond: rates[6] ?? null, roundThroughputs: [rates[6] ?? null, rates[6] ?? null],
        boundCrossed: true, steps: steps(7) },
    ],
  };
}

const DEFAULT_SESSION: SessionSettings = { intraOpThreads: 2, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
const ONE_THREAD_BASIC: SessionSettings = { ...DEFAULT_SESSION, intraOpThreads: 1, graphOptimizationLevel: 'basic' };

function figures(p50Ms: number, spreadMs: number): RoundsFigures {
  return { p50Ms, p99Ms: p50Ms * 1.3, meanMs: p50Ms * 1.01, rmePercent: 0.8, roundP50sMs: [p50Ms - spreadMs / 2, p50Ms + spreadMs / 2], spreadMs };
}

/** Three ways a tuning ends, in turn: one thread with basic optimisation faster beyond noise, the default kept, a gain that is a tie. */
function tuned(gridP50Ms: number, k: number): TunedSession[] {
  const candidates = [
    { session: DEFAULT_SESSION, state: 'measured' as const, ...figures(gridP50Ms, 0.02) },
    { session: ONE_THREAD_BASIC, state: 'measured' as const, ...figures(gridP50Ms * (k === 1 ? 0.99 : 0.8), 0.02) },
  ];
  const base = { device: 'cpu' as const, state: 'measured' as const, candidates, measuredAt: SAMPLE_MEASURED_AT, loadAverage1m: 0.12 };
  if (k === 1) return [{ ...base, chosen: DEFAULT_SESSION, choice: 'default-within-noise', measured: figures(gridP50Ms * 1.01, 0.03), versusDefault: null }];
  const chosenMs = gridP50Ms * (k === 0 ? 0.82 : 0.995);
  const gainMs = gridP50Ms - chosenMs;
  return [{
    ...base, chosen: ONE_THREAD_BASIC, choice: 'fastest', measured: figures(chosenMs, 0.02),
    versusDefault: { defaultMeasured: figures(gridP50Ms, 0.02), gainMs, gainPercent: (gainMs / gridP50Ms) * 100, noiseMs: 0.05, verdict: k === 0 ? 'faster' : 'tie' },
  }];
}

export function sampleDeploymentReport(): DeepMutable<Report> {
  const r = editable(sampleReport());
  r.env.session = { interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
  for (const [k, v] of r.variants.entries()) {
    if (v.state !== 'completed') continue;
    const grid = v.latency[0]?.p50Ms ?? 1;
    const deployment: VariantDeployment = {
      realInputs: realInputs(grid), coldStart: coldStart(v.sizeBytes), load: load(1000 / grid), tuned: tuned(grid, k % 3),
    };
    v.deployment = structuredClone(deployment) as DeepMutable<VariantDeployment>;
  }
  r.deployment = {
    realInputs: {
      sampleSize: 128, seed: 0,
      samples: r.models.map((m) => ({ model: m.id, rows: Array.from({ length: 128 }, (_, i) => i * 6), tokenCounts: [...SAMPLE_TOKEN_COUNTS], scoredRows: 872 })),
    },
    coldStart: { runs: 3, bandwidthMbitPerSecond: 50 },
    load: { device: 'cpu', p99BoundMs: 50, stepMs: 2000, rateFactor: 1.25, maxSteps: 30, rounds: 2, seed: 0, inputs: 'real-inputs' },
    tune: { selectionRounds: 2, measurementRounds: 2, batchSize: 1, sequenceLength: 128 },
  };
  return r;
}
