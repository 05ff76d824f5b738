import type { TimingSettings } from '../bench/runtime-settings.js';
import type { Environment } from '../bench/schema.js';
import type { StepCache } from '../cache/cache.js';
import { glueSplitPath } from '../glue/read-split.js';
import type { GlueTask } from '../glue/tasks.js';
import type { Report } from '../report/model/types.js';
import { sha256Files } from '../util/sha256.js';
import { assembleReport } from './assemble-report.js';
import { scoredSubset } from './calibration-slice.js';
import type { CompareOptions } from './compare-options.js';
import { modelLabels, relabelFailure } from './model-arguments.js';
import { prepare } from './prepare-models.js';
import { machineDigest, partialReport } from './shard.js';
import type { StepClock } from './step-clock.js';
import { deploymentFailures } from './deployment-request.js';
import { timeDeployment } from './time-deployment.js';
import { timeInBrowser, withBrowserTimings } from './time-in-browser.js';
import { timeVariants } from './time-variants.js';
import { checkAllInTransformersJs } from './transformers-js-check.js';

/** What the runs of one command share: the opened step cache, the timing settings and the machine they measured. */
export interface CompareSession {
  readonly cache: StepCache;
  readonly timing: TimingSettings;
  readonly environment: Environment;
}

/** What a run needs of compare's options: everything but where the report is written and what the session holds (the task comes resolved). */
export type CompareRunOptions = Omit<CompareOptions, 'task' | 'reportsDir' | 'name' | 'cacheDir' | 'reuseCache' | 'warn'>;

export interface CompareRun {
  readonly report: Report;
  /** Steps this run took from the cache, and computed. */
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /** Requested variants that did not complete (models that never resolved included), and those a browser or a deployment measurement could not time. */
  readonly failures: number;
}

/**
 * One compare run, given an opened cache and a measured machine: every model x variant prepared
 * (converted, built, evaluated), timed on the Node devices and then the browser's, and assembled
 * into one report, which is returned, not written. `albench compare` runs it once; the GLUE suite
 * once per (family, task), sharing the session. Phases pass typed records (variant-record.ts).
 */
export async function runCompare(opts: CompareRunOptions, task: GlueTask, session: CompareSession, progress: StepClock): Promise<CompareRun> {
  const startedAt = new Date().toISOString();
  const { cache, timing, environment } = session;
  const hitsBefore = cache.hits.length;
  const missesBefore = cache.misses.length;
  const [dataHash] = await sha256Files([glueSplitPath(task, 'dev', opts.dataDir)]);
  const subset = scoredSubset(opts.subset, task, opts.dataDir, opts.variants);
  const setting = { task, dataDir: opts.dataDir, subset, dataHash, float32Vectors: opts.float32Vectors ?? false, constraints: opts.constraints };
  const { models, variants, names } = await prepare(opts, setting, cache, progress);
  const { batchSizes, sequenceLengths } = opts;
  const reuseTimings = opts.reuseTimings ?? false;
  const timings = await timeVariants(variants, { timing, batchSizes, sequenceLengths, environment, reuseTimings }, cache, progress);
  const browser = await timeInBrowser(variants, { devices: opts.browserDevices ?? [], timing, batchSizes, sequenceLengths }, progress);
  const withBrowser = withBrowserTimings(timings, browser);
  const checked = opts.checkTransformersJs === false ? withBrowser : await checkAllInTransformersJs(withBrowser, {
    task, dataDir: opts.dataDir, cache, dataHash: dataHash ?? '',
  }, progress);
  const request = opts.deployment;
  const deployed = request === undefined ? { records: checked } : await timeDeployment(checked, {
    request, task, dataDir: opts.dataDir, timing, browserDevices: opts.browserDevices ?? [], batchSizes, sequenceLengths,
  }, progress);
  const whole: Report = assembleReport({
    environment, runtimes: timing.runtimes, browserSetups: browser.setups, models,
    ...('run' in deployed ? { deployment: deployed.run } : {}),
    variants: deployed.records.map((v) => (v.state === 'failed' ? relabelFailure(v, names) : v)),
    cacheDir: cache.root,
    settings: {
      task: task.id, subset, batchSizes, sequenceLengths, variants: opts.variants,
      warmupIterations: timing.warmupIterations, constraints: opts.constraints,
    },
  });
  const { shard } = opts;
  const report = shard === undefined ? whole
    : partialReport(whole, { ...shard, models: modelLabels(opts.models), startedAt, finishedAt: whole.createdAt, machine: machineDigest() });
  const failures = report.variants.filter((v) => v.state === 'failed'
    || (v.latencyByDevice ?? []).some((d) => d.state === 'failed') || deploymentFailures(v.deployment) > 0).length;
  return { report, cacheHits: cache.hits.length - hitsBefore, cacheMisses: cache.misses.length - missesBefore, failures };
}
