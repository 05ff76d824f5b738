import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CpuFlags, Environment, RuntimeSettings } from '../bench/schema.js';
import { modelBytes } from '../model-folder/resolve-model-file.js';
import { albertClaims } from '../report/verdicts/claims.js';
import { withDifferencesVsFp32 } from '../report/verdicts/paired.js';
import { recommend } from '../report/verdicts/recommend.js';
import {
  REPORT_SCHEMA_VERSION, type DeploymentRun, type DeviceSetup, type Env, type FailedVariant, type ModelFacts, type Report, type RowValues, type Settings,
  type VariantResult,
} from '../report/model/types.js';
import { ALBENCH_VERSION } from '../version.js';
import { autoQuantOf } from './variants.js';
import { failedVariant, type TimedVariant } from './variant-record.js';

/** The flags that decide which int8 kernels run, spelt as /proc/cpuinfo spells them. */
const CPU_FLAG_NAMES: ReadonlyArray<[keyof CpuFlags, string]> = [
  ['avx2', 'avx2'], ['avx512f', 'avx512f'], ['avx512Vnni', 'avx512_vnni'], ['avxVnni', 'avx_vnni'], ['amx', 'amx'],
];

function toEnv(e: Environment, runtimes: readonly RuntimeSettings[], browserSetups: readonly DeviceSetup[]): Env {
  const flags = CPU_FLAG_NAMES.filter(([key]) => e.cpu.flags[key]).map(([, name]) => name);
  const runtimeOf = (r: RuntimeSettings) => (r.executionProvider === 'wasm'
    ? `onnxruntime-web ${e.onnxruntimeWeb?.version ?? '?'}` : `onnxruntime-node ${e.onnxruntime.version}`);
  const devices = [...runtimes.map((r) => ({ device: r.executionProvider, runtime: runtimeOf(r), threads: r.intraOpThreads })), ...browserSetups];
  return {
    cpuModel: e.cpu.model, cpuFlags: flags, logicalCores: e.cpu.logicalCores, memoryBytes: e.memoryTotalBytes,
    os: `${e.os.name} (${e.os.platform} ${e.os.arch})`, node: e.node, onnxruntime: e.onnxruntime.version,
    device: e.onnxruntime.executionProvider, executionProvider: e.onnxruntime.executionProvider, threads: e.onnxruntime.intraOpThreads,
    session: { interOpThreads: e.onnxruntime.interOpThreads, graphOptimizationLevel: e.onnxruntime.graphOptimizationLevel,
      executionMode: e.onnxruntime.executionMode },
    ...(devices.length > 1 ? { devices } : {}),
  };
}

/**
 * ModelFacts.sourceDigest: a sha256 over each checkpoint file's name (relative to its folder) and
 * sha256, sorted by name, so the same checkpoint gets the same digest wherever it sits and whatever it is called.
 */
export function checkpointDigest(dir: string, files: readonly string[], hashes: readonly string[]): string {
  const lines = files.map((f, i) => `${path.relative(dir, f).split(path.sep).join('/')} ${hashes[i] ?? ''}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Model files are named relative to the cache folder: reports get committed and shared, this machine's paths do not. */
function variantResult(v: FailedVariant | TimedVariant, cacheDir: string): VariantResult {
  if (v.state === 'failed') return v;
  return {
    id: v.id, model: v.model, variant: v.variant, state: 'completed', file: path.relative(cacheDir, v.files.modelFile),
    sizeBytes: modelBytes(v.files.modelFile), params: { unique: v.params.unique.total, executed: v.params.executed.total },
    metrics: v.metrics, latency: v.timing.latency, memory: v.timing.memory, predictions: v.predictions,
    ...(v.recipe ? { recipe: v.recipe } : {}),
    ...autoQuantOf(v.variant, v.files.modelFile),
    fileSha256: v.fileSha256,
    ...(v.latencyByDevice.length > 1 ? { latencyByDevice: v.latencyByDevice } : {}),
    ...(v.transformersJs ? { transformersJs: v.transformersJs } : {}),
    ...(v.deployment ? { deployment: v.deployment } : {}),
  };
}

/** A variant whose files cannot be read now (its size, its search record) fails alone, with the reason: the report still comes. */
function variantResultOrFailure(v: FailedVariant | TimedVariant, cacheDir: string): VariantResult {
  try {
    return variantResult(v, cacheDir);
  } catch (e) {
    return failedVariant(v, e);
  }
}

/** Every variant is scored on the same rows, so the first evaluated one's gold values serve them all. */
function goldOf(variants: ReadonlyArray<FailedVariant | TimedVariant>): { gold: RowValues } | Record<string, never> {
  const evaluated = variants.find((v): v is TimedVariant => v.state === 'timed');
  return evaluated === undefined ? {} : { gold: evaluated.gold };
}

interface ReportInputs {
  readonly environment: Environment;
  /** Every device timed, in order (default: the environment's one). */
  readonly runtimes?: readonly RuntimeSettings[];
  /** Browser devices timed after the runtimes (time-in-browser.ts). */
  readonly browserSetups?: readonly DeviceSetup[];
  readonly settings: Settings;
  readonly models: readonly ModelFacts[];
  readonly variants: ReadonlyArray<FailedVariant | TimedVariant>;
  readonly cacheDir: string;
  /** What --deployment measured, and each model's real-input sample. */
  readonly deployment?: DeploymentRun;
}

/**
 * The report: the run's figures, each variant's per-row predictions with the paired test of its
 * first metric against its model's fp32, and the recommendation and ALBERT claims drawn from them.
 */
export function assembleReport(inputs: ReportInputs): Report {
  const { models, settings } = inputs;
  const gold = goldOf(inputs.variants);
  const variants = withDifferencesVsFp32({ ...gold, variants: inputs.variants.map((v) => variantResultOrFailure(v, inputs.cacheDir)) });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    env: toEnv(inputs.environment, inputs.runtimes ?? [inputs.environment.onnxruntime], inputs.browserSetups ?? []),
    settings,
    models,
    variants,
    ...gold,
    recommendation: recommend(variants, settings.constraints, gold.gold),
    claims: albertClaims({ models, variants, ...gold }),
    ...(inputs.deployment === undefined ? {} : { deployment: inputs.deployment }),
  };
}
