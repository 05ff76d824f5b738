import fs from 'node:fs';
import path from 'node:path';
import { openCheckpoint, type WeightsFormat } from '../checkpoint/load.js';
import type { EncoderConfig } from '../checkpoint/config.js';
import type { StateDict } from '../checkpoint/types.js';
import { shardFiles } from '../checkpoint/sharded.js';
import { UsageError, ValidationError } from '../errors.js';
import { countParams, type ParamCounts } from '../arch/params.js';
import { copyTokenizerFiles, foreignInModelFolder, writeRecord } from '../model-folder/files.js';
import { MODEL_PATH, ONNX_DIR, RECORD_FILE } from '../model-folder/layout.js';
import { GraphBuilder } from '../onnx/builder.js';
import { writeModelYielding } from '../onnx/serde.js';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { sha256Files } from '../util/sha256.js';
import { ALBENCH_VERSION } from '../version.js';
import { buildEncoderGraph } from './encoder-graph.js';
import { knownConfig } from '../arch/known.js';
import { MODEL_SPECS } from '../arch/registry.js';
import { architectureClass, headFromArchitectures, type HeadName } from '../arch/types.js';
import { randomStateDict } from './random-weights.js';
import { validateModel, worstDifference, type ValidationResult } from './validate.js';
import { randomValidationInputs, realValidationInputs } from './validation-inputs.js';
import { Weights } from './weights.js';

export const SUPPORTED_OPSETS = { min: 14, max: 21, default: 17 } as const;

export type ConvertSource =
  | { readonly kind: 'checkpoint'; readonly dir: string; readonly prefer?: WeightsFormat }
  | { readonly kind: 'random'; readonly configName: string; readonly seed: number };

export interface ConvertOptions {
  readonly source: ConvertSource;
  readonly outDir: string;
  readonly task?: HeadName;
  readonly opset?: number;
  readonly validate?: boolean;
  readonly allowNonFinite?: boolean;
  readonly externalDataThreshold?: number;
  readonly progress?: Progress;
  readonly warn?: (message: string) => void;
  /** sha256 digests the caller already has (by path), so source files are not hashed twice. */
  readonly knownSha256?: ReadonlyMap<string, string>;
}

export interface ConvertRecord {
  readonly format: 'albench-convert-v1';
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly source: {
    readonly kind: 'checkpoint' | 'random';
    readonly path: string;
    readonly files: ReadonlyArray<{ readonly name: string; readonly bytes: number; readonly sha256: string }>;
    readonly seed?: number;
  };
  readonly settings: { readonly modelType: string; readonly task: HeadName; readonly opset: number; readonly validate: boolean };
  readonly output: { readonly model: string; readonly bytes: number; readonly externalData: string | null };
  readonly params: ParamCounts;
  readonly unusedKeys: readonly string[];
  readonly validation: ValidationResult | null;
  readonly seconds: { readonly build: number; readonly write: number; readonly validate: number };
}

interface Opened { config: EncoderConfig; configJson: string; stateDict: StateDict; sourcePath: string; sourceFiles: string[] }

function openSource(source: ConvertSource, task: HeadName | undefined): Opened {
  if (source.kind === 'random') {
    const { config, json } = knownConfig(source.configName);
    const sd = randomStateDict(config, MODEL_SPECS[config.modelType].layout(config), task ?? headFromArchitectures(config.architectures), source.seed);
    return { config, configJson: JSON.stringify(json, null, 2), stateDict: sd, sourcePath: `known config ${source.configName}`, sourceFiles: [] };
  }
  const ckpt = openCheckpoint(source.dir, source.prefer);
  const extra = ckpt.weightsFile.endsWith('.index.json')
    ? shardFiles(ckpt.weightsFile).map((f) => path.join(source.dir, f))
    : [];
  return {
    config: ckpt.config,
    configJson: fs.readFileSync(ckpt.configFile, 'utf8'),
    stateDict: ckpt.stateDict,
    sourcePath: source.dir,
    sourceFiles: [ckpt.configFile, ckpt.weightsFile, ...extra],
  };
}

/** Names the output that disagrees, by how much and on which inputs, so a report of it says where to look. */
function validationFailure(outDir: string, validation: ValidationResult): ValidationError {
  const worst = worstDifference(validation);
  const where = worst === null ? 'the converted model' : `output ${worst.output}`;
  const inputs = worst === null ? '' : ` on the ${worst.inputs} inputs of shape [${worst.shape.join(', ')}]`;
  return new ValidationError(`${outDir}: ${where} differs from the float64 reference by ${validation.maxAbsDiff.toExponential(2)}${inputs} `
    + `(tolerance ${validation.tolerance}); nothing was written — please report this with the checkpoint's config.json`);
}

export async function convert(opts: ConvertOptions): Promise<ConvertRecord> {
  const progress = opts.progress ?? silentProgress;
  const opset = opts.opset ?? SUPPORTED_OPSETS.default;
  if (!Number.isInteger(opset) || opset < SUPPORTED_OPSETS.min || opset > SUPPORTED_OPSETS.max) {
    throw new UsageError(`--opset ${opset} is not supported; use ${SUPPORTED_OPSETS.min} to ${SUPPORTED_OPSETS.max}`);
  }
  progress.step('reading checkpoint');
  const src = openSource(opts.source, opts.task);
  try {
    const { config } = src;
    const spec = MODEL_SPECS[config.modelType];
    const head = opts.task ?? headFromArchitectures(config.architectures);
    const layout = spec.layout(config);
    const weights = new Weights(src.stateDict, spec, { allowNonFinite: opts.allowNonFinite ?? false });

    const known = opts.knownSha256 ?? new Map<string, string>();
    const unknown = src.sourceFiles.filter((f) => !known.has(f));
    const digests = sha256Files(unknown).then((computed) => src.sourceFiles.map((f) => known.get(f) ?? computed[unknown.indexOf(f)] ?? ''));
    digests.catch(() => undefined); // awaited below; a failure surfaces there, not as an unhandled rejection
    const t0 = performance.now();
    const g = new GraphBuilder(opset);
    buildEncoderGraph(g, weights, config, layout, head);
    const model = g.build(`${config.modelType}-${head}`, { 'albench.task': head, 'albench.model_type': config.modelType }, ALBENCH_VERSION);
    const unusedKeys = weights.unusedKeys();
    if (unusedKeys.length > 0) opts.warn?.(`${src.stateDict.file}: ${unusedKeys.length} tensors are not used by the ${head} head and were left out: `
      + `${unusedKeys.slice(0, 5).join(', ')}${unusedKeys.length > 5 ? ', ...' : ''}`);
    const t1 = performance.now();

    return await writeDirAtomic(opts.outDir, foreignInModelFolder, async (tmp) => {
      progress.step(`writing ${MODEL_PATH}`);
      fs.mkdirSync(path.join(tmp, ONNX_DIR));
      const written = await writeModelYielding(model, path.join(tmp, MODEL_PATH),
        opts.externalDataThreshold === undefined ? {} : { externalDataThreshold: opts.externalDataThreshold });
      const t2 = performance.now();
      let validation: ValidationResult | null = null;
      if (opts.validate ?? true) {
        progress.step('validating against the float64 reference');
        const real = opts.source.kind === 'checkpoint' ? realValidationInputs(opts.source.dir, config) : null;
        validation = await validateModel(path.join(tmp, MODEL_PATH), weights, config, layout, head, [
          ...randomValidationInputs(config).map((inputs) => ({ kind: 'random' as const, inputs })),
          ...(real ? [{ kind: 'text' as const, inputs: real }] : []),
        ]);
        if (!validation.passed) throw validationFailure(opts.outDir, validation);
      }
      const t3 = performance.now();
      const configJson = JSON.parse(src.configJson) as Record<string, unknown>;
      configJson['architectures'] = [architectureClass(spec, head)];
      writeFileAtomic(path.join(tmp, 'config.json'), `${JSON.stringify(configJson, null, 2)}\n`);
      if (opts.source.kind === 'checkpoint') copyTokenizerFiles(opts.source.dir, tmp);
      progress.step('hashing source files');
      const sha256 = await digests;
      const record: ConvertRecord = {
        format: 'albench-convert-v1',
        albenchVersion: ALBENCH_VERSION,
        createdAt: new Date().toISOString(),
        source: {
          kind: opts.source.kind,
          path: src.sourcePath,
          files: src.sourceFiles.map((f, i) => ({ name: path.basename(f), bytes: fs.statSync(f).size, sha256: sha256[i] ?? '' })),
          ...(opts.source.kind === 'random' ? { seed: opts.source.seed } : {}),
        },
        settings: { modelType: config.modelType, task: head, opset, validate: opts.validate ?? true },
        output: { model: MODEL_PATH, bytes: written.bytes, externalData: written.externalDataFile },
        params: countParams(config, layout, head, weights.has(layout.pooler.weight)),
        unusedKeys,
        validation,
        seconds: { build: (t1 - t0) / 1000, write: (t2 - t1) / 1000, validate: (t3 - t2) / 1000 },
      };
      writeRecord(path.join(tmp, RECORD_FILE), record);
      progress.done();
      return record;
    });
  } finally {
    src.stateDict.close();
  }
}
