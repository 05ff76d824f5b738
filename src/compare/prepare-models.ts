import fs from 'node:fs';
import path from 'node:path';
import { StepCache } from '../cache/cache.js';
import { readConfigFile } from '../checkpoint/config.js';
import { CHECKPOINT_FILES, SHARD_INDEX_FILE } from '../checkpoint/load.js';
import { shardFiles } from '../checkpoint/sharded.js';
import { convert } from '../convert/convert.js';
import { resolveModel } from '../hub/resolve-model.js';
import type { FailedVariant, ModelFacts } from '../report/model/types.js';
import { prefixedProgress, type Progress } from '../util/progress.js';
import { presentFilesInside } from '../util/safe-read.js';
import { sha256Files } from '../util/sha256.js';
import { ALBENCH_VERSION } from '../version.js';
import { checkpointDigest } from './assemble-report.js';
import type { CompareOptions } from './compare-options.js';
import { describeSource, modelLabels, type PathNames } from './model-arguments.js';
import { prepareVariants, type EvalSetting } from './prepare-variants.js';
import { variantsOf } from './shard.js';
import { failedVariant, type ConvertedModel, type PreparedVariant } from './variant-record.js';

/** The files `albench convert` reads from a checkpoint folder; their hashes key the conversion. */
function checkpointFiles(dir: string): string[] {
  const files = presentFilesInside(dir, CHECKPOINT_FILES);
  const index = path.join(dir, SHARD_INDEX_FILE);
  if (fs.existsSync(index)) files.push(...shardFiles(index));
  return files.map((f) => path.join(dir, f));
}

/** Resolves a model argument and converts it to fp32 ONNX (cached by its checkpoint files' hashes). */
async function convertModel(
  arg: string, label: string, opts: Pick<CompareOptions, 'fullPaths'>, cache: StepCache, progress: Progress,
): Promise<ConvertedModel> {
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

export interface Prepared {
  readonly models: ModelFacts[];
  readonly variants: Array<FailedVariant | PreparedVariant>;
  /** The absolute folders behind each label, for error messages to name by label instead. */
  readonly names: PathNames;
}

/** The prepare phase: every model converted, every variant of it built and evaluated. */
export async function prepare(
  opts: Pick<CompareOptions, 'models' | 'variants' | 'shard' | 'fullPaths'>, setting: EvalSetting, cache: StepCache, progress: Progress,
): Promise<Prepared> {
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
