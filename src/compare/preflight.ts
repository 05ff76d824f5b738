import fs from 'node:fs';
import path from 'node:path';
import { gridPoints } from '../bench/grid.js';
import { checkTimingOptions, type TimingDefaults, type TimingOptions } from '../bench/runtime-settings.js';
import { UsageError } from '../errors.js';
import { readGlueSplit } from '../glue/read-split.js';
import { selectSubset } from '../glue/subset.js';
import { findGlueTask, type GlueTask } from '../glue/tasks.js';
import type { Constraints, SubsetSetting } from '../report/model/types.js';
import { checkReportName, isReportFolder } from '../report/write-report.js';
import { isRemoteCache } from '../cache/store.js';
import { scoredSubset } from './calibration-slice.js';
import type { CompareOptions } from './compare-options.js';
import { classifyModelArg } from './model-arguments.js';

/** What compare is asked to do, as far as it can be checked before any work. */
export type PreflightRequest = TimingOptions & Pick<CompareOptions,
  'models' | 'variants' | 'task' | 'dataDir' | 'subset' | 'batchSizes' | 'sequenceLengths' | 'constraints' | 'reportsDir' | 'name' | 'cacheDir'>;

function checkUnique(flag: string, values: readonly string[]): void {
  if (values.length === 0) throw new UsageError(`${flag}: give at least one`);
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) throw new UsageError(`${flag}: "${repeated}" is given twice`);
}

/** Flags in the user's units: --min-accuracy in percent, --max-size in MB. */
function checkConstraints(c: Constraints): void {
  if (c.minAccuracy !== undefined && !(c.minAccuracy >= 0 && c.minAccuracy <= 1)) {
    throw new UsageError(`--min-accuracy ${Number((c.minAccuracy * 100).toPrecision(12))}: give a percentage from 0 to 100`);
  }
  if (c.maxSizeBytes !== undefined && !(c.maxSizeBytes > 0 && Number.isFinite(c.maxSizeBytes))) {
    throw new UsageError(`--max-size ${Number((c.maxSizeBytes / 1e6).toPrecision(12))}: give a size in MB greater than 0`);
  }
  if (c.maxLatencyMs !== undefined && !(c.maxLatencyMs > 0 && Number.isFinite(c.maxLatencyMs))) {
    throw new UsageError(`--max-latency ${c.maxLatencyMs}: give milliseconds greater than 0`);
  }
}

function checkSubset(s: SubsetSetting): void {
  const size = s.kind === 'limit' ? s.limit : s.kind === 'sample' ? s.size : 1;
  if (!(Number.isSafeInteger(size) && size >= 1)) throw new UsageError(`--${s.kind} ${size}: give a whole number of examples, 1 or more`);
  if (s.kind === 'sample' && !Number.isSafeInteger(s.seed)) throw new UsageError(`--seed ${s.seed}: give an integer`);
}

/** Creates `dir` if needed and writes and removes a file in it, so a folder that cannot take output fails now. */
function checkWritable(flag: string, dir: string): void {
  const probe = path.join(dir, `.albench-write-check-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (e) {
    const reason = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new UsageError(`${flag} ${dir}: cannot write there (${reason}); choose a folder you can write to`);
  }
}

/** What is at `<reportsDir>/<name>` already, if anything, is a folder a report may replace: empty, or an earlier report. */
export function checkReplaceable(reportsDir: string, name: string): void {
  const target = path.join(reportsDir, name);
  if (!fs.existsSync(target)) return;
  const replaceable = fs.statSync(target).isDirectory() && (fs.readdirSync(target).length === 0 || isReportFolder(target));
  if (!replaceable) throw new UsageError(`--name ${name}: ${target} exists and is not an albench report folder; choose another name or remove it`);
}

function checkReportTarget(reportsDir: string, name: string): void {
  checkReportName(name, reportsDir);
  checkWritable('--reports', reportsDir);
  checkReplaceable(reportsDir, name);
}

/**
 * What holds for every run of one command: variants named once, thresholds, the latency grid and
 * timing flags. It makes nothing; the GLUE suite checks these once for all its runs.
 */
export function checkRunOptions(
  request: Omit<PreflightRequest, 'models' | 'task' | 'subset' | 'reportsDir' | 'name' | 'cacheDir'>, timingDefaults: TimingDefaults,
): void {
  checkUnique('--variants', request.variants);
  checkConstraints(request.constraints);
  gridPoints(request.batchSizes, request.sequenceLengths);
  checkTimingOptions(request, timingDefaults);
}

/** The cache folder can take entries (made if missing), after every check that makes nothing. */
export function checkCacheFolder(cacheDir: string): void {
  // An S3 cache is checked when it is opened (reachable, bucket, access); its mirror folder is made on use.
  if (!isRemoteCache(cacheDir)) checkWritable('--cache', cacheDir);
}

/**
 * Everything about a compare request that can be checked before converting anything: the models
 * named, duplicates, the report name and folder, the cache folder, thresholds, the latency grid,
 * timing flags, the subset size, and the task's dev data (present, readable, not empty). A usage
 * problem throws a UsageError (exit 2) naming the flag and value; missing or bad data a DataError
 * (exit 1). Returns the task, for the work that follows.
 */
export function preflight(request: PreflightRequest, timingDefaults: TimingDefaults): GlueTask {
  checkUnique('models', request.models);
  for (const model of request.models) classifyModelArg(model);
  checkRunOptions(request, timingDefaults);
  checkSubset(request.subset);
  const task = findGlueTask(request.task);
  checkReportTarget(request.reportsDir, request.name);
  checkCacheFolder(request.cacheDir);
  selectSubset(readGlueSplit(task, 'dev', request.dataDir), scoredSubset(request.subset, task, request.dataDir, request.variants));
  return task;
}
