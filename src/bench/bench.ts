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
import type { ChildReply } from './child-protocol.js';
import { runSchedule, summarizeRounds, type RunSlot } from './rounds.js';
import { checkTimingOptions, timingSettings, type TimingOptions, type TimingSettings } from './runtime-settings.js';
import {
  BENCH_SCHEMA_VERSION, type BenchReport, type Measurement, type ModelResult, type OptimizedGraph, type PointResult, type RuntimeSettings,
} from './schema.js';

export type ModelSource =
  /** A model folder or .onnx file; `label` names it in the table and progress (default: its folder's name). */
  | { readonly kind: 'path'; readonly path: string; readonly label?: string }
  /** A known architecture with seeded random weights, converted (unvalidated) into a temporary folder. */
  | { readonly kind: 'random'; readonly configName: string; readonly seed: number; readonly task?: HeadName };

export interface BenchOptions extends TimingOptions {
  readonly models: readonly ModelSource[];
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly progress?: Progress;
}

/**
 * One round: bench's table gives each point's own statistics; compare asks for more (--rounds). Each point runs in a
 * fresh process, so its first runs pay for allocation and kernel choice; compare warms up alike.
 */
export const BENCH_DEFAULTS = { warmupIterations: 5, stop: { minIterations: 10, minTimeMs: 2000 }, rounds: 1 } as const;
/** Any BERT-family vocabulary is larger; used only when a bare .onnx file comes without config.json. */
const TOKEN_ID_LIMIT_WITHOUT_CONFIG = 100;

const INPUTS_DESCRIPTION = 'input_ids spread over the vocabulary, attention_mask all ones (no padding), token_type_ids 0';
const ORDER_DESCRIPTION = 'one child process per model, grid point and round; round after round, grid-major within a round, '
  + 'the model order reversed between rounds (A B C, C B A, ...) and at every other point, so drift hits all alike';

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

async function measureRound(m: ModelUnderTest, p: GridPoint, s: TimingSettings): Promise<ChildReply<'measure'>> {
  return runChild({
    job: 'measure', modelFile: m.modelFile, runtime: s.runtime, ...p,
    tokenIdLimit: m.config?.vocabSize ?? TOKEN_ID_LIMIT_WITHOUT_CONFIG, warmupIterations: s.warmupIterations, stop: s.stop,
  });
}

function completedPoint(m: ModelUnderTest, p: GridPoint, rounds: readonly Measurement[]): PointResult {
  const { measurement, roundP50sMs, spreadMs } = summarizeRounds(rounds);
  const { loadMs, latency, memory } = measurement;
  const flops = modelFlops(m, p);
  const perSecond = 1000 / latency.p50Ms;
  return {
    ...p, state: 'completed', loadMs, latency, roundP50sMs, spreadMs, memory, flops,
    achievedGflopPerSecondAtP50: flops === null ? null : (flops.total / 1e9) * perSecond,
    sequencesPerSecondAtP50: p.batchSize * perSecond,
  };
}

interface Measured {
  readonly points: PointResult[][];
  readonly runOrder: RunSlot[];
}

/**
 * Runs every (round, point, model) child in runSchedule's order. A point that fails in one round
 * keeps that round's error and is not run again: a load or memory failure would only repeat.
 */
async function measureAll(models: readonly ModelUnderTest[], points: readonly GridPoint[], s: TimingSettings, progress: Progress): Promise<Measured> {
  const schedule = runSchedule(models.length, points.length, s.rounds);
  const rounds: Measurement[][][] = models.map(() => points.map(() => []));
  const failures: Array<Array<PointResult | undefined>> = models.map(() => points.map(() => undefined));
  const runOrder: RunSlot[] = [];
  for (const [i, slot] of schedule.entries()) {
    const m = models[slot.model] as ModelUnderTest;
    const p = points[slot.point] as GridPoint;
    const failed = failures[slot.model] as Array<PointResult | undefined>;
    if (failed[slot.point] !== undefined) continue;
    const round = s.rounds > 1 ? `round ${slot.round + 1}/${s.rounds}: ` : '';
    progress.step(`[${i + 1}/${schedule.length}] ${round}${m.label} batch ${p.batchSize} seq ${p.sequenceLength}`);
    runOrder.push(slot);
    const reply = await measureRound(m, p, s);
    if (reply.ok) (rounds[slot.model]?.[slot.point] as Measurement[]).push(reply.measurement);
    else failed[slot.point] = { ...p, state: 'failed', error: { code: reply.stage === 'load' ? 'LOAD_FAILED' : 'RUN_FAILED', message: round + reply.message } };
  }
  return {
    points: models.map((m, mi) => points.map((p, pi) => failures[mi]?.[pi] ?? completedPoint(m, p, rounds[mi]?.[pi] ?? []))),
    runOrder,
  };
}

/**
 * Benchmarks every model at every grid point, `rounds` times, each (model, point, round) in a fresh
 * child process so its memory peak is its own. The order (rounds.ts) reverses the models between
 * rounds and at every other point, so slow drift of the machine (heat, neighbours) lands on all
 * models alike; each point reports the median of its rounds and their spread.
 */
export async function bench(opts: BenchOptions): Promise<BenchReport> {
  const points = gridPoints(opts.batchSizes, opts.sequenceLengths);
  checkSettings(opts);
  const settings = timingSettings(opts, BENCH_DEFAULTS);
  const { runtime, warmupIterations, stop, rounds } = settings;
  if (runtime.executionProvider === 'cuda') await requireCuda();
  const progress = opts.progress ?? silentProgress;

  // Before any conversion of ours, so the load average shows the machine, not us.
  const startedAt = new Date().toISOString();
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
    const measured = await measureAll(models, points, settings, progress);
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
      points: measured.points[mi] as PointResult[],
    }));
    return {
      schemaVersion: BENCH_SCHEMA_VERSION, kind: 'albench-bench', albenchVersion: ALBENCH_VERSION, createdAt: new Date().toISOString(), startedAt,
      environment,
      settings: {
        batchSizes: opts.batchSizes, sequenceLengths: opts.sequenceLengths, warmupIterations, stop, rounds,
        inputs: INPUTS_DESCRIPTION, order: ORDER_DESCRIPTION,
      },
      models: modelResults,
      runOrder: measured.runOrder,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export function failedPoints(report: BenchReport): number {
  return report.models.reduce((n, m) => n + m.points.filter((p) => p.state === 'failed').length, 0);
}
