import os from 'node:os';
import { measureColdStarts } from '../bench/deployment/cold-start.js';
import { measureLoad, poolShapes, type LoadUnit } from '../bench/deployment/load.js';
import { rateLadder } from '../bench/deployment/load-search.js';
import { measureRealInputs } from '../bench/deployment/real-inputs.js';
import type { RequestInputs } from '../bench/deployment/requests.js';
import { readCpuInfo } from '../bench/env.js';
import { openModelUnderTest, tokenIdLimit } from '../bench/model-under-test.js';
import type { TimingSettings } from '../bench/runtime-settings.js';
import { browserColdStarts } from '../browser/cold-start.js';
import type { BrowserDevice } from '../browser/protocol.js';
import type { GlueTask } from '../glue/tasks.js';
import { modelBytes } from '../model-folder/resolve-model-file.js';
import type { ColdStart, DeploymentRun, LoadResult, RealInputCost } from '../report/model/deployment-types.js';
import type { TunedSession } from '../report/model/tuned-types.js';
import { BROWSER_DEVICE_PREFIX, type DeviceName, type FailedVariant, type VariantDeployment } from '../report/model/types.js';
import type { Progress } from '../util/progress.js';
import { realInputTimeMs } from './compare-options.js';
import type { DeploymentRequest } from './deployment-request.js';
import { realInputSamples, type ModelSample } from './real-input-sample.js';
import { tuneSessions } from './time-tuned-sessions.js';
import type { TimedVariant } from './variant-record.js';

/**
 * compare's deployment phase (--deployment): after the grid is timed, each variant's cost at its
 * task's real inputs, its cold start per device, its throughput under load on the CPU, and its
 * tuned session settings per Node device (time-tuned-sessions.ts). Like
 * every timing they are measured afresh each run, never cached, each in child processes of their own.
 */
export interface DeploymentPlan {
  readonly request: DeploymentRequest;
  readonly task: GlueTask;
  readonly dataDir: string;
  readonly timing: TimingSettings;
  readonly browserDevices: readonly BrowserDevice[];
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
}

const occasion = () => ({ measuredAt: new Date().toISOString(), loadAverage1m: os.loadavg()[0] ?? 0 });

/** The grid's first point with bench's synthetic ids: what cold start runs first, and what load sends without real inputs. */
function gridInputs(v: TimedVariant, plan: DeploymentPlan): RequestInputs {
  return {
    kind: 'grid', batchSize: plan.batchSizes[0] ?? 1, sequenceLength: plan.sequenceLengths[0] ?? 1,
    tokenIdLimit: tokenIdLimit(openModelUnderTest(v.files.modelFile)),
  };
}

/** Every Node device x variant, device-major as bench orders its units. */
function nodeUnits(variants: readonly TimedVariant[], plan: DeploymentPlan, inputs: (v: TimedVariant) => RequestInputs | undefined) {
  return plan.timing.runtimes.flatMap((runtime) => variants.flatMap((v) => {
    const given = inputs(v);
    return given === undefined ? [] : [{ v, unit: { label: `${v.id} on ${runtime.executionProvider}`, modelFile: v.files.modelFile, runtime, inputs: given } }];
  }));
}

async function realInputCosts(variants: readonly TimedVariant[], samples: ReadonlyMap<string, ModelSample>, plan: DeploymentPlan,
  progress: Progress): Promise<Map<TimedVariant, RealInputCost[]>> {
  const units = nodeUnits(variants, plan, (v) => samples.get(v.model)?.inputs);
  progress.step(`timing ${variants.length} variant(s) at their real inputs in ${plan.timing.rounds} round(s)`);
  const at = occasion();
  const { warmupIterations, stop, rounds } = plan.timing;
  const fixed = { minIterations: stop.minIterations, minTimeMs: realInputTimeMs(stop) };
  const figures = await measureRealInputs(units.map((u) => u.unit), { warmupIterations, stop: fixed, rounds }, progress);
  const costs = new Map<TimedVariant, RealInputCost[]>();
  units.forEach(({ v, unit }, i) => {
    const f = figures[i] ?? { state: 'failed', error: 'not measured' };
    const device = unit.runtime.executionProvider;
    costs.set(v, [...(costs.get(v) ?? []), f.state === 'failed' ? { device, ...f } : { device, ...f, rounds: f.roundMeansMs.length, ...at }]);
  });
  return costs;
}

/** A browser target downloads the file first: its size at the run's bandwidth, computed, never measured. */
function download(device: DeviceName, bytes: number, bandwidthMbitPerSecond: number): Pick<Extract<ColdStart, { state: 'measured' }>, 'download'> {
  if (device !== 'wasm' && !device.startsWith(BROWSER_DEVICE_PREFIX)) return {};
  return { download: { computed: true, bytes, bandwidthMbitPerSecond, ms: ((bytes * 8) / (bandwidthMbitPerSecond * 1e6)) * 1000 } };
}

async function coldStarts(variants: readonly TimedVariant[], plan: DeploymentPlan, runs: number, bandwidth: number,
  progress: Progress): Promise<Map<TimedVariant, ColdStart[]>> {
  const units = nodeUnits(variants, plan, (v) => gridInputs(v, plan));
  progress.step(`cold-starting ${variants.length} variant(s) ${runs} time(s) per device, each in a fresh process`);
  const at = occasion();
  const figures = await measureColdStarts(units.map((u) => u.unit), runs, progress);
  const starts = new Map<TimedVariant, ColdStart[]>(variants.map((v) => [v, []]));
  units.forEach(({ v, unit }, i) => {
    const f = figures[i] ?? { state: 'failed', error: 'not measured' };
    const device = unit.runtime.executionProvider;
    starts.get(v)?.push(f.state === 'failed' ? { device, ...f }
      : { device, ...f, readFrom: 'os-cache', ...download(device, modelBytes(v.files.modelFile), bandwidth), ...at });
  });
  const point = { batchSize: plan.batchSizes[0] ?? 1, sequenceLength: plan.sequenceLengths[0] ?? 1 };
  for (const device of plan.browserDevices) {
    const name: DeviceName = `${BROWSER_DEVICE_PREFIX}${device}`;
    const models = variants.map((v) => ({ path: v.files.modelFile, label: v.id }));
    const browserAt = occasion();
    const found = await browserColdStarts({ models, device, threads: plan.timing.runtime.intraOpThreads, runs, point, progress });
    variants.forEach((v, i) => {
      const f = found[i] ?? { state: 'failed', error: 'not measured' };
      starts.get(v)?.push(f.state === 'failed' ? { device: name, ...f } : {
        device: name, ...f, readFrom: 'local-server', peakRssAfterFirstRunBytes: null,
        ...download(name, modelBytes(v.files.modelFile), bandwidth), ...browserAt,
      });
    });
  }
  return starts;
}

/** What one request costs on the CPU, one at a time: the real-input mean when measured, else the grid's first point. */
function cpuCostMs(v: TimedVariant, costs: ReadonlyMap<TimedVariant, RealInputCost[]>): number | undefined {
  const real = costs.get(v)?.find((c) => c.device === 'cpu');
  if (real?.state === 'measured') return real.meanMs;
  const grid = v.latencyByDevice.find((d) => d.device === 'cpu');
  return grid?.state === 'timed' ? grid.latency[0]?.p50Ms : undefined;
}

async function loadResults(variants: readonly TimedVariant[], samples: ReadonlyMap<string, ModelSample>, costs: ReadonlyMap<TimedVariant, RealInputCost[]>,
  plan: DeploymentPlan, progress: Progress): Promise<Map<TimedVariant, LoadResult>> {
  const l = plan.request.load;
  const results = new Map<TimedVariant, LoadResult>();
  if (l === undefined) return results;
  const units: Array<{ v: TimedVariant; unit: LoadUnit }> = [];
  for (const v of variants) {
    const cost = cpuCostMs(v, costs);
    if (cost === undefined || !(cost > 0)) {
      results.set(v, { device: 'cpu', state: 'failed', error: 'no measured cost on cpu to start the rates from (its cpu timing did not complete)' });
      continue;
    }
    // The rates start at a fraction of what one request at a time serves: well within any bound.
    const rates = rateLadder(Math.max(0.1, (l.startFraction * 1000) / cost), l.rateFactor, l.maxSteps);
    units.push({ v, unit: { label: v.id, modelFile: v.files.modelFile, inputs: samples.get(v.model)?.inputs ?? gridInputs(v, plan), rates } });
  }
  const pools = poolShapes(readCpuInfo().physicalCores);
  progress.step(`serving ${units.length} variant(s) under rising load, ${pools.length} pool shape(s), ${l.rounds} round(s)`);
  const at = occasion();
  const figures = await measureLoad(units.map((u) => u.unit), { ...l, pools }, progress);
  units.forEach(({ v }, i) => {
    const f = figures[i] ?? { state: 'failed', error: 'not measured' };
    results.set(v, f.state === 'failed' ? { device: 'cpu', ...f } : { device: 'cpu', ...f, ...at });
  });
  return results;
}

/** The deployment figures of every timed variant, and what the run records of them; failed variants pass through. */
export async function timeDeployment(records: ReadonlyArray<FailedVariant | TimedVariant>, plan: DeploymentPlan, progress: Progress)
  : Promise<{ records: Array<FailedVariant | TimedVariant>; run: DeploymentRun }> {
  const { realInputs, coldStart, load, tune } = plan.request;
  const timed = records.filter((r): r is TimedVariant => r.state === 'timed');
  const samples = realInputs === undefined ? new Map<string, ModelSample>()
    : realInputSamples(timed, plan.task, plan.dataDir, realInputs.sampleSize, realInputs.seed);
  const costs = realInputs === undefined ? new Map<TimedVariant, RealInputCost[]>() : await realInputCosts(timed, samples, plan, progress);
  const starts = coldStart === undefined ? new Map<TimedVariant, ColdStart[]>()
    : await coldStarts(timed, plan, coldStart.runs, coldStart.bandwidthMbitPerSecond, progress);
  const loads = await loadResults(timed, samples, costs, plan, progress);
  const point = { batchSize: plan.batchSizes[0] ?? 1, sequenceLength: plan.sequenceLengths[0] ?? 1 };
  const tuned = tune === undefined ? new Map<TimedVariant, TunedSession[]>()
    : await tuneSessions(timed, { timing: plan.timing, ...tune, ...point, at: occasion() }, progress);
  const withFigures = records.map((r) => {
    if (r.state !== 'timed') return r;
    const real = costs.get(r);
    const cold = starts.get(r);
    const served = loads.get(r);
    const sessions = tuned.get(r);
    const deployment: VariantDeployment = {
      ...(real ? { realInputs: real } : {}), ...(cold ? { coldStart: cold } : {}), ...(served ? { load: served } : {}),
      ...(sessions ? { tuned: sessions } : {}),
    };
    return Object.keys(deployment).length === 0 ? r : { ...r, deployment };
  });
  const run: DeploymentRun = {
    ...(realInputs === undefined ? {} : { realInputs: { ...realInputs, samples: [...samples.values()].map((s) => s.sample) } }),
    ...(coldStart === undefined ? {} : { coldStart }),
    ...(load === undefined ? {} : {
      load: {
        device: 'cpu', p99BoundMs: load.p99BoundMs, stepMs: load.stepMs, rateFactor: load.rateFactor, maxSteps: load.maxSteps, rounds: load.rounds,
        seed: load.seed, inputs: samples.size > 0 ? 'real-inputs' : 'grid-first-point',
      },
    }),
    ...(tune === undefined ? {} : { tune: { ...tune, ...point } }),
  };
  return { records: withFigures, run };
}
