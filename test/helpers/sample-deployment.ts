import type { ColdStart, LoadResult, RealInputCost, VariantDeployment } from '../../src/report/model/deployment-types.js';
import type { Report } from '../../src/report/model/types.js';
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

export function sampleDeploymentReport(): DeepMutable<Report> {
  const r = editable(sampleReport());
  for (const v of r.variants) {
    if (v.state !== 'completed') continue;
    const grid = v.latency[0]?.p50Ms ?? 1;
    const deployment: VariantDeployment = { realInputs: realInputs(grid), coldStart: coldStart(v.sizeBytes), load: load(1000 / grid) };
    v.deployment = structuredClone(deployment) as DeepMutable<VariantDeployment>;
  }
  r.deployment = {
    realInputs: {
      sampleSize: 128, seed: 0,
      samples: r.models.map((m) => ({ model: m.id, rows: Array.from({ length: 128 }, (_, i) => i * 6), tokenCounts: [...SAMPLE_TOKEN_COUNTS], scoredRows: 872 })),
    },
    coldStart: { runs: 3, bandwidthMbitPerSecond: 50 },
    load: { device: 'cpu', p99BoundMs: 50, stepMs: 2000, rateFactor: 1.25, maxSteps: 30, rounds: 2, seed: 0, inputs: 'real-inputs' },
  };
  return r;
}
