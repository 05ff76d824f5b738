import fs from 'node:fs';
import path from 'node:path';
import { collectEnvironment } from '../bench/env.js';
import { requireCuda } from '../bench/providers.js';
import { timingSettings } from '../bench/runtime-settings.js';
import type { Device, StopRule } from '../bench/schema.js';
import { readConfigFile } from '../checkpoint/config.js';
import { TOKENIZER_FILES } from '../checkpoint/load.js';
import { shardFiles } from '../checkpoint/sharded.js';
import { convert } from '../convert/convert.js';
import { glueSplitPath } from '../glue/read-split.js';
import { findGlueTask } from '../glue/tasks.js';
import { resolveModel } from '../hub/resolve-model.js';
import type { Constraints, FailedVariant, ModelFacts, Report, SubsetSetting, VariantName } from '../report/types.js';
import { writeReport } from '../report/write-report.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { sha256Files } from '../util/sha256.js';
import { ALBENCH_VERSION } from '../version.js';
import { assembleReport } from './assemble-report.js';
import { StepCache } from './cache.js';
import { prepareVariants, type EvalSetting } from './prepare-variants.js';
import { timeVariants } from './time-variants.js';
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
  readonly threads?: number;
  readonly warmupIterations: number;
  readonly stop: StopRule;
  readonly constraints: Constraints;
  readonly reportsDir: string;
  readonly name: string;
  readonly cacheDir: string;
  readonly progress?: Progress;
}

export interface CompareResult {
  readonly report: Report;
  readonly reportDir: string;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly seconds: number;
}

/** compare's defaults: shorter runs than `albench bench`, since a report times every variant. */
export const COMPARE_DEFAULTS = {
  variants: ['fp32', 'fp32-optimized', 'int8-dynamic'] as VariantName[],
  task: 'sst2',
  batchSizes: [1],
  sequenceLengths: [128],
  warmupIterations: 5,
  stop: { minIterations: 30, minTimeMs: 750 },
};

/** Where a model came from, without this machine's absolute paths (reports get committed and shared). */
function describeSource(arg: string, resolved: Awaited<ReturnType<typeof resolveModel>>): string {
  if (resolved.kind === 'hub') return `${resolved.snapshot.id}@${resolved.snapshot.commit}`;
  if (resolved.kind === 'bundled') return `bundled: models/${path.basename(resolved.dir)}`;
  return arg;
}

/** The files `albench convert` reads from a checkpoint folder; their hashes key the conversion. */
function checkpointFiles(dir: string): string[] {
  const names = ['config.json', 'model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', ...TOKENIZER_FILES];
  const files = names.filter((f) => fs.existsSync(path.join(dir, f)));
  const index = path.join(dir, 'model.safetensors.index.json');
  if (fs.existsSync(index)) files.push(...shardFiles(index));
  return files.map((f) => path.join(dir, f));
}

/** Resolves a model argument and converts it to fp32 ONNX (cached by its checkpoint files' hashes). */
async function convertModel(arg: string, cache: StepCache, progress: Progress): Promise<ConvertedModel> {
  progress.step(`${arg}: resolving`);
  const resolved = await resolveModel(arg, { progress });
  const files = checkpointFiles(resolved.dir);
  const hashes = await sha256Files(files);
  const convertKey = { v: ALBENCH_VERSION, hashes };
  progress.step(`${arg}: converting`);
  const knownSha256 = new Map(files.map((f, i) => [f, hashes[i] ?? '']));
  const source = { kind: 'checkpoint', dir: resolved.dir } as const;
  const converted = await cache.get('convert', convertKey, async (dir) => convert({ source, outDir: path.join(dir, 'model'), knownSha256 }));
  const fp32Dir = path.join(converted.dir, 'model');
  const { params } = converted.value;
  const cfg = readConfigFile(path.join(fp32Dir, 'config.json'));
  const facts: ModelFacts = {
    id: arg, source: describeSource(arg, resolved), modelType: cfg.modelType,
    hiddenSize: cfg.hiddenSize, embeddingSize: cfg.embeddingSize, layers: cfg.numHiddenLayers, groups: cfg.numHiddenGroups,
    params: { unique: params.unique.total, executed: params.executed.total },
  };
  return { facts, fp32Dir, params, convertKey };
}

interface Prepared {
  readonly models: ModelFacts[];
  readonly variants: Array<FailedVariant | PreparedVariant>;
}

/** The prepare phase: every model converted, every variant of it built and evaluated. */
async function prepare(opts: CompareOptions, setting: EvalSetting, cache: StepCache, progress: Progress): Promise<Prepared> {
  const models: ModelFacts[] = [];
  const variants: Array<FailedVariant | PreparedVariant> = [];
  for (const arg of opts.models) {
    let model: ConvertedModel;
    try {
      model = await convertModel(arg, cache, progress);
    } catch (e) {
      // Without a converted model no variant can run; each requested one fails with the reason.
      for (const variant of opts.variants) variants.push(failedVariant({ id: `${arg}/${variant}`, model: arg, variant }, e));
      continue;
    }
    models.push(model.facts);
    variants.push(...(await prepareVariants(model, opts.variants, setting, cache, progress)));
  }
  return { models, variants };
}

/**
 * `albench compare`: every model x variant converted, quantized, evaluated and timed, each step
 * cached by the content hash of what it depends on, then one report in four formats. A variant
 * that fails stays in the report with its error; the others still finish. Three phases pass
 * typed records (variant-record.ts): prepare, time, assemble.
 */
export async function compare(opts: CompareOptions): Promise<CompareResult> {
  const started = performance.now();
  const progress = opts.progress ?? silentProgress;
  if (opts.device === 'cuda') await requireCuda();
  const cache = new StepCache(opts.cacheDir);
  const task = findGlueTask(opts.task);
  const [dataHash] = await sha256Files([glueSplitPath(task, 'dev', opts.dataDir)]);
  const timing = timingSettings(opts, COMPARE_DEFAULTS);
  const environment = await collectEnvironment(timing.runtime);

  const setting = { task, dataDir: opts.dataDir, subset: opts.subset, dataHash, constraints: opts.constraints };
  const { models, variants } = await prepare(opts, setting, cache, progress);
  const { batchSizes, sequenceLengths } = opts;
  const timed = await timeVariants(variants, { timing, batchSizes, sequenceLengths, environment }, cache, progress);
  const report: Report = assembleReport({
    environment, models, variants: timed, cacheDir: opts.cacheDir,
    settings: {
      task: task.id, subset: opts.subset, batchSizes, sequenceLengths, variants: opts.variants,
      warmupIterations: timing.warmupIterations, constraints: opts.constraints,
    },
  });

  progress.step('writing reports');
  const reportDir = await writeReport(report, opts.reportsDir, opts.name);
  progress.done();
  return { report, reportDir, cacheHits: cache.hits.length, cacheMisses: cache.misses.length, seconds: (performance.now() - started) / 1000 };
}
