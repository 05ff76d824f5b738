import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DEFAULTS, benchEnvironment } from '../bench/bench.js';
import { requireCuda, requireWasm } from '../bench/providers.js';
import { timingSettings } from '../bench/runtime-settings.js';
import type { Device, StopRule } from '../bench/schema.js';
import { readConfigFile } from '../checkpoint/config.js';
import { presentFilesInside } from '../util/safe-read.js';
import { TOKENIZER_FILES } from '../checkpoint/load.js';
import { shardFiles } from '../checkpoint/sharded.js';
import { convert } from '../convert/convert.js';
import { glueSplitPath } from '../glue/read-split.js';
import { resolveModel } from '../hub/resolve-model.js';
import type { BrowserDevice } from '../browser/protocol.js';
import type { Constraints, FailedVariant, ModelFacts, Report, SubsetSetting, VariantName } from '../report/types.js';
import { writeReport } from '../report/write-report.js';
import { prefixedProgress, silentProgress, type Progress } from '../util/progress.js';
import { sha256Files } from '../util/sha256.js';
import { ALBENCH_VERSION } from '../version.js';
import { assembleReport, checkpointDigest } from './assemble-report.js';
import { StepCache } from './cache.js';
import { preflight } from './preflight.js';
import { machineDigest, partialReport, variantsOf, type ShardSpec } from './shard.js';
import { prepareVariants, type EvalSetting } from './prepare-variants.js';
import { describeSource, modelLabels, relabelFailure, type PathNames } from './labels.js';
import { StepClock, type StepTiming } from './step-clock.js';
import { checkBrowserDevices, timeInBrowser, withBrowserTimings } from './time-in-browser.js';
import { checkCompareRounds, timeVariants } from './time-variants.js';
import { checkAllInTransformersJs } from './transformers-js-check.js';
import { failedVariant, type ConvertedModel, type PreparedVariant } from './variant-record.js';

export interface CompareOptions {
  /** Bundled names (`bert`, `albert`), checkpoint folders or hub ids. */
  readonly models: readonly string[];
  readonly variants: readonly VariantName[];
  readonly task: string;
  readonly dataDir: string;
  readonly subset: SubsetSetting;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly device: Device;
  /** Several devices timed in the same rounds (--device cpu,wasm); the first is `device`, which claims and the recommendation use. */
  readonly devices?: readonly Device[];
  /** onnxruntime-web inside headless Chromium (--device cpu,browser-wasm), timed after `devices` with the same settings. */
  readonly browserDevices?: readonly BrowserDevice[];
  readonly threads?: number;
  readonly warmupIterations: number;
  readonly stop: StopRule;
  /** Times every variant is timed, each time in its own process; at least 3 unless reuseTimings (default 3). */
  readonly rounds?: number;
  /** Take a cached timing of the same variant file, settings and machine instead of timing it again; marked reused. */
  readonly reuseTimings?: boolean;
  readonly constraints: Constraints;
  readonly reportsDir: string;
  readonly name: string;
  readonly cacheDir: string;
  /** false (`--no-cache`): recompute every step instead of reusing cached results; the fresh results replace them. */
  readonly reuseCache?: boolean;
  /** Where warnings go (a damaged cache entry rebuilt), one line each; stderr unless told. */
  readonly warn?: (line: string) => void;
  readonly progress?: Progress;
  /** Write a folder model's absolute path into the JSON's `source` (never into md, html, csv or the summary). */
  readonly fullPaths?: boolean;
  /** int8-dynamic keeps biases and LayerNorm vectors float32 instead of the recipe's float16. */
  readonly float32Vectors?: boolean;
  /** false (`--no-transformers-js`): skip loading each variant in transformers.js; the report has no transformers.js column. */
  readonly checkTransformersJs?: boolean;
  /** Make only shard K of N of the (model, variant) pairs (shard.ts) and write a partial report. */
  readonly shard?: ShardSpec;
}

export interface CompareResult {
  readonly report: Report;
  readonly reportDir: string;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /**
   * Requested variants that did not complete (models that never resolved included), and those a browser could not time;
   * the CLI exits 1 when any did.
   */
  readonly failures: number;
  readonly seconds: number;
  /** Wall time of each step, in the order they ran (what the progress line showed). */
  readonly steps: readonly StepTiming[];
}

/** compare's defaults: the same warm-up as `albench bench`, shorter runs, since a report times every variant. */
export const COMPARE_DEFAULTS = {
  variants: ['fp32', 'fp32-optimized', 'int8-dynamic'] as VariantName[],
  task: 'sst2',
  batchSizes: [1],
  sequenceLengths: [128],
  warmupIterations: BENCH_DEFAULTS.warmupIterations,
  stop: { minIterations: 30, minTimeMs: 750 },
  rounds: 3,
};

/** The files `albench convert` reads from a checkpoint folder; their hashes key the conversion. */
function checkpointFiles(dir: string): string[] {
  const names = ['config.json', 'model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', ...TOKENIZER_FILES];
  const files = presentFilesInside(dir, names);
  const index = path.join(dir, 'model.safetensors.index.json');
  if (fs.existsSync(index)) files.push(...shardFiles(index));
  return files.map((f) => path.join(dir, f));
}

/** Resolves a model argument and converts it to fp32 ONNX (cached by its checkpoint files' hashes). */
async function convertModel(arg: string, label: string, opts: CompareOptions, cache: StepCache, progress: Progress): Promise<ConvertedModel> {
  progress.step(`${label}: resolving`);
  const resolved = await resolveModel(arg, { progress });
  const files = checkpointFiles(resolved.dir);
  const hashes = await sha256Files(files);
  const convertKey = { v: ALBENCH_VERSION, hashes };
  progress.step(`${label}: converting`);
  const knownSha256 = new Map(files.map((f, i) => [f, hashes[i] ?? '']));
  const source = { kind: 'checkpoint', dir: resolved.dir } as const;
  const converting = prefixedProgress(progress, arg);
  const converted = await cache.get('convert', convertKey, async (dir) => convert({
    source, outDir: path.join(dir, 'model'), knownSha256, progress: converting,
  }));
  const fp32Dir = path.join(converted.dir, 'model');
  const { params } = converted.value;
  const cfg = readConfigFile(path.join(fp32Dir, 'config.json'));
  const facts: ModelFacts = {
    id: label, source: describeSource(resolved, label, opts.fullPaths ?? false), sourceDigest: checkpointDigest(resolved.dir, files, hashes),
    modelType: cfg.modelType,
    hiddenSize: cfg.hiddenSize, embeddingSize: cfg.embeddingSize, layers: cfg.numHiddenLayers, groups: cfg.numHiddenGroups,
    params: { unique: params.unique.total, executed: params.executed.total },
  };
  return { facts, fp32Dir, params, convertKey };
}

interface Prepared {
  readonly models: ModelFacts[];
  readonly variants: Array<FailedVariant | PreparedVariant>;
  /** The absolute folders behind each label, for error messages to name by label instead. */
  readonly names: PathNames;
}

/** The prepare phase: every model converted, every variant of it built and evaluated. */
async function prepare(opts: CompareOptions, setting: EvalSetting, cache: StepCache, progress: Progress): Promise<Prepared> {
  const models: ModelFacts[] = [];
  const variants: Array<FailedVariant | PreparedVariant> = [];
  const labels = modelLabels(opts.models);
  const names: Array<[string, string]> = [[path.resolve(cache.root), '<cache>']];
  for (const [i, arg] of opts.models.entries()) {
    const label = labels[i] ?? arg;
    const wanted = variantsOf(i, opts.models.length, opts.variants, opts.shard);
    if (wanted.length === 0) continue;
    names.push([path.resolve(arg), label]);
    let model: ConvertedModel;
    try {
      model = await convertModel(arg, label, opts, cache, progress);
    } catch (e) {
      // Without a converted model no variant can run; each requested one fails with the reason.
      for (const variant of wanted) variants.push(failedVariant({ id: `${label}/${variant}`, model: label, variant }, e));
      continue;
    }
    names.push([path.resolve(model.fp32Dir), `${label} (converted)`]);
    models.push(model.facts);
    variants.push(...(await prepareVariants(model, wanted, setting, cache, progress)));
  }
  return { models, variants, names };
}

/**
 * `albench compare`: every model x variant converted, quantized, evaluated and timed, each step
 * cached by the content hash of what it depends on, then one report in four formats. Everything
 * checkable is checked first (preflight.ts), so bad usage fails before any work. A variant that
 * fails stays in the report with its error; the others still finish. Three phases pass typed
 * records (variant-record.ts): prepare, time, assemble.
 */
export async function compare(opts: CompareOptions): Promise<CompareResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const progress = new StepClock(opts.progress ?? silentProgress);
  const reuseTimings = opts.reuseTimings ?? false;
  checkCompareRounds(opts.rounds ?? COMPARE_DEFAULTS.rounds, reuseTimings);
  const task = preflight(opts, COMPARE_DEFAULTS);
  const devices = opts.devices ?? [opts.device];
  if (devices.includes('cuda')) await requireCuda();
  if (devices.includes('wasm')) requireWasm();
  const browserDevices = opts.browserDevices ?? [];
  await checkBrowserDevices(browserDevices);
  const cache = await StepCache.open(opts.cacheDir, { reuse: opts.reuseCache ?? true, ...(opts.warn ? { warn: opts.warn } : {}) });
  const [dataHash] = await sha256Files([glueSplitPath(task, 'dev', opts.dataDir)]);
  const timing = timingSettings(opts, COMPARE_DEFAULTS);
  const environment = await benchEnvironment(timing);

  const setting = { task, dataDir: opts.dataDir, subset: opts.subset, dataHash, float32Vectors: opts.float32Vectors ?? false,
    constraints: opts.constraints };
  const { models, variants, names } = await prepare(opts, setting, cache, progress);
  const { batchSizes, sequenceLengths } = opts;
  const timings = await timeVariants(variants, { timing, batchSizes, sequenceLengths, environment, reuseTimings }, cache, progress);
  const browser = await timeInBrowser(variants, { devices: browserDevices, timing, batchSizes, sequenceLengths }, progress);
  const withBrowser = withBrowserTimings(timings, browser);
  const timed = opts.checkTransformersJs === false ? withBrowser : await checkAllInTransformersJs(withBrowser, { task, dataDir: opts.dataDir }, progress);
  const whole: Report = assembleReport({
    environment, runtimes: timing.runtimes, browserSetups: browser.setups, models,
    variants: timed.map((v) => (v.state === 'failed' ? relabelFailure(v, names) : v)),
    cacheDir: cache.root,
    settings: {
      task: task.id, subset: opts.subset, batchSizes, sequenceLengths, variants: opts.variants,
      warmupIterations: timing.warmupIterations, constraints: opts.constraints,
    },
  });

  const { shard } = opts;
  const report = shard === undefined ? whole
    : partialReport(whole, { ...shard, models: modelLabels(opts.models), startedAt, finishedAt: whole.createdAt, machine: machineDigest() });
  progress.step('writing reports');
  const reportDir = await writeReport(report, opts.reportsDir, opts.name);
  progress.done();
  const failures = report.variants.filter((v) => v.state === 'failed'
    || (v.latencyByDevice ?? []).some((d) => d.state === 'failed')).length;
  const seconds = (performance.now() - started) / 1000;
  return { report, reportDir, cacheHits: cache.hits.length, cacheMisses: cache.misses.length, failures, seconds, steps: progress.steps };
}
