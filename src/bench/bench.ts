import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convert } from '../convert/convert.js';
import type { HeadName } from '../arch/types.js';
import { OnnxError, UnsupportedError, UsageError } from '../errors.js';
import { tempPathFor } from '../util/atomic.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { ALBENCH_VERSION } from '../version.js';
import { collectEnvironment } from './env.js';
import { gridPoints, type GridPoint } from './grid.js';
import { modelFlops, openModelUnderTest, type ModelUnderTest } from './model-under-test.js';
import { requireCuda } from './providers.js';
import { runChild } from './run-child.js';
import { checkTimingOptions, timingSettings, type TimingOptions } from './runtime-settings.js';
import {
  BENCH_SCHEMA_VERSION, type BenchReport, type ModelResult, type OptimizedGraph, type PointResult, type RuntimeSettings, type StopRule,
} from './schema.js';

export type ModelSource =
  /** `label` names the model in progress and tables (default: its folder's name). */
  | { readonly kind: 'path'; readonly path: string; readonly label?: string }
  /** A known architecture with seeded random weights, converted (unvalidated) into a temporary folder. */
  | { readonly kind: 'random'; readonly configName: string; readonly seed: number; readonly task?: HeadName };

export interface BenchOptions extends TimingOptions {
  readonly models: readonly ModelSource[];
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly progress?: Progress;
}

/** Each point runs in a fresh process, so its first runs pay for allocation and kernel choice; compare warms up alike. */
export const BENCH_DEFAULTS = { warmupIterations: 5, stop: { minIterations: 10, minTimeMs: 2000 } } as const;
/** Any BERT-family vocabulary is larger; used only when a bare .onnx file comes without config.json. */
const TOKEN_ID_LIMIT_WITHOUT_CONFIG = 100;

const INPUTS_DESCRIPTION = 'input_ids spread over the vocabulary, attention_mask all ones (no padding), token_type_ids 0';
const ORDER_DESCRIPTION = 'one child process per model and grid point; grid-major, '
  + 'models alternating direction at each point (A B, B A, ...) so drift hits all alike';

function checkSettings(o: BenchOptions): void {
  if (o.models.length === 0) throw new UsageError('give at least one model folder or .onnx file, or --config <name> --random-weights');
  checkTimingOptions(o, BENCH_DEFAULTS);
}

async function randomWeightsModel(s: Extract<ModelSource, { kind: 'random' }>, outDir: string, progress: Progress): Promise<ModelUnderTest> {
  progress.step(`building ${s.configName} with random weights`);
  await convert({ source: { kind: 'random', configName: s.configName, seed: s.seed }, outDir, validate: false, ...(s.task ? { task: s.task } : {}) });
  return openModelUnderTest(outDir, s.configName);
}

async function materialize(sources: readonly ModelSource[], workDir: string, progress: Progress): Promise<ModelUnderTest[]> {
  // Paths first, so a typo fails before minutes of conversion.
  const fromPaths = sources.map((s) => (s.kind === 'path' ? openModelUnderTest(s.path, s.label) : null));
  const models: ModelUnderTest[] = [];
  for (const [i, s] of sources.entries()) {
    models.push(s.kind === 'random' ? await randomWeightsModel(s, path.join(workDir, `${i}-${s.configName}`), progress) : (fromPaths[i] as ModelUnderTest));
  }
  // Two folders named alike (run1/model, run2/model) must still be told apart in the table.
  return models.map((m) => {
    const same = models.filter((o) => o.label === m.label);
    return same.length === 1 ? m : { ...m, label: `${m.label}#${same.indexOf(m) + 1}` };
  });
}

function checkSequenceLengths(models: readonly ModelUnderTest[], sequenceLengths: readonly number[]): void {
  for (const m of models) {
    const max = m.config?.maxPositionEmbeddings;
    const tooLong = sequenceLengths.find((t) => max !== undefined && t > max);
    if (tooLong !== undefined) throw new UsageError(`--seq ${tooLong} is longer than ${m.label} can take (max_position_embeddings ${max})`);
  }
}

/** A model that does not load is an error for the whole run: every point would fail the same way. */
async function optimizedGraphOf(m: ModelUnderTest, runtime: RuntimeSettings, workDir: string): Promise<OptimizedGraph> {
  const dir = fs.mkdtempSync(path.join(workDir, 'optimized-'));
  try {
    const reply = await runChild({ job: 'optimized-graph', modelFile: m.modelFile, runtime, workDir: dir });
    if (reply.ok) return reply.graph;
    const { message } = reply;
    if (runtime.executionProvider === 'cuda') {
      throw new UnsupportedError(`CUDA execution provider failed to start for ${m.modelFile}: ${message}; check that nvidia-smi sees a GPU`
        + ' and that CUDA 12 and cuDNN 9 are installed (albench doctor lists what is found)');
    }
    throw new OnnxError(m.modelFile, `onnxruntime cannot load it: ${message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measurePoint(m: ModelUnderTest, p: GridPoint, runtime: RuntimeSettings, warmupIterations: number, stop: StopRule): Promise<PointResult> {
  const reply = await runChild({
    job: 'measure', modelFile: m.modelFile, runtime, ...p,
    tokenIdLimit: m.config?.vocabSize ?? TOKEN_ID_LIMIT_WITHOUT_CONFIG, warmupIterations, stop,
  });
  if (!reply.ok) return { ...p, state: 'failed', error: { code: reply.stage === 'load' ? 'LOAD_FAILED' : 'RUN_FAILED', message: reply.message } };
  const { loadMs, latency, memory } = reply.measurement;
  const flops = modelFlops(m, p);
  const perSecond = 1000 / latency.p50Ms;
  return {
    ...p, state: 'completed', loadMs, latency, memory, flops,
    achievedGflopPerSecondAtP50: flops === null ? null : (flops.total / 1e9) * perSecond,
    sequencesPerSecondAtP50: p.batchSize * perSecond,
  };
}

/**
 * Benchmarks every model at every grid point, each (model, point) in a fresh child process so its
 * memory peak is its own. Points run grid-major with the model order reversed at every other
 * point, so slow drift of the machine (heat, neighbours) lands on all models alike.
 */
export async function bench(opts: BenchOptions): Promise<BenchReport> {
  const points = gridPoints(opts.batchSizes, opts.sequenceLengths);
  checkSettings(opts);
  const { runtime, warmupIterations, stop } = timingSettings(opts, BENCH_DEFAULTS);
  if (runtime.executionProvider === 'cuda') await requireCuda();
  const progress = opts.progress ?? silentProgress;

  // Before any conversion of ours, so the load average shows the machine, not us.
  const environment = await collectEnvironment(runtime);
  const workDir = tempPathFor(path.join(os.tmpdir(), 'albench-bench'));
  fs.mkdirSync(workDir);
  try {
    const models = await materialize(opts.models, workDir, progress);
    checkSequenceLengths(models, opts.sequenceLengths);
    const graphs: OptimizedGraph[] = [];
    for (const m of models) {
      progress.step(`${m.label}: loading and reading back the optimised graph`);
      graphs.push(await optimizedGraphOf(m, runtime, workDir));
    }
    const results: PointResult[][] = models.map(() => []);
    const total = points.length * models.length;
    let done = 0;
    for (const [pi, p] of points.entries()) {
      const order = models.map((_, mi) => mi);
      if (pi % 2 === 1) order.reverse();
      for (const mi of order) {
        const m = models[mi] as ModelUnderTest;
        progress.step(`[${++done}/${total}] ${m.label} batch ${p.batchSize} seq ${p.sequenceLength}`);
        (results[mi] as PointResult[])[pi] = await measurePoint(m, p, runtime, warmupIterations, stop);
      }
    }
    progress.done();
    const modelResults: ModelResult[] = models.map((m, mi) => ({
      label: m.label,
      // A temporary random-weights model is gone after the run; its path would mislead.
      modelFile: opts.models[mi]?.kind === 'random' ? `(random weights: ${m.label})` : m.modelFile,
      modelBytesOnDisk: m.modelBytesOnDisk,
      modelType: m.config?.modelType ?? null,
      task: m.task,
      params: m.params,
      optimizedGraph: graphs[mi] as OptimizedGraph,
      points: results[mi] as PointResult[],
    }));
    return {
      schemaVersion: BENCH_SCHEMA_VERSION, kind: 'albench-bench', albenchVersion: ALBENCH_VERSION, createdAt: new Date().toISOString(),
      environment,
      settings: {
        batchSizes: opts.batchSizes, sequenceLengths: opts.sequenceLengths, warmupIterations, stop,
        inputs: INPUTS_DESCRIPTION, order: ORDER_DESCRIPTION,
      },
      models: modelResults,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export function failedPoints(report: BenchReport): number {
  return report.models.reduce((n, m) => n + m.points.filter((p) => p.state === 'failed').length, 0);
}
