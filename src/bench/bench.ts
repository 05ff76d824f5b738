import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convert } from '../convert/convert.js';
import type { HeadName } from '../arch/types.js';
import { OnnxError, UnsupportedError, UsageError } from '../errors.js';
import { tempPathFor } from '../util/atomic.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { ALBENCH_VERSION } from '../version.js';
import { benchEnvironment } from './env.js';
import { gridPoints, type GridPoint } from './grid.js';
import { INPUTS_DESCRIPTION } from './inputs.js';
import { flopsAtP50, openModelUnderTest, tokenIdLimit, type ModelUnderTest } from './model-under-test.js';
import { requireCuda, requireWasm } from './providers.js';
import { runChild } from './run-child.js';
import type { ChildReply } from './child-protocol.js';
import { runSchedule, summarizeRounds } from './rounds.js';
import type { RunSlot } from './schema.js';
import { checkTimingOptions, timingSettings, type TimingOptions, type TimingSettings } from './runtime-settings.js';
import { unsupportedOp } from './wasm-support.js';
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
  /**
   * false: skip reading back each model's optimised graph (a child per model that compare, which reports no fused ops,
   * would only wait for); models are still checked to load on wasm and CUDA before timing. Default true.
   */
  readonly readOptimizedGraphs?: boolean;
}

/**
 * One round: bench's table gives each point's own statistics; compare asks for more (--rounds). Each point runs in a
 * fresh process, so its first runs pay for allocation and kernel choice; compare warms up alike.
 */
export const BENCH_DEFAULTS = { warmupIterations: 5, stop: { minIterations: 10, minTimeMs: 2000 }, rounds: 1 } as const;
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

/** One model on one device: what the schedule interleaves (rounds.ts), devices as well as models. */
interface Unit {
  readonly model: ModelUnderTest;
  readonly runtime: RuntimeSettings;
}

/** The operator a device's runtime lacks: the unit's points are marked unsupported instead of timed. */
interface Unsupported { readonly op: string; readonly message: string }

/**
 * A model that does not load is an error for the whole run: every point would fail the same way.
 * On wasm a missing operator is a finding about onnxruntime-web, not an error (wasm-support.ts).
 */
async function optimizedGraphOf({ model: m, runtime }: Unit, workDir: string, cpuGraph: OptimizedGraph | undefined, read: boolean)
  : Promise<OptimizedGraph | Unsupported | null> {
  if (runtime.executionProvider === 'cpu' && (cpuGraph !== undefined || !read)) return cpuGraph ?? null;
  const dir = fs.mkdtempSync(path.join(workDir, 'optimized-'));
  try {
    const reply = await runChild({ job: 'optimized-graph', modelFile: m.modelFile, runtime, workDir: dir, readGraph: read && cpuGraph === undefined });
    if (reply.ok) return reply.graph ?? cpuGraph ?? null;
    const { message } = reply;
    const op = runtime.executionProvider === 'wasm' ? unsupportedOp(message) : null;
    if (op !== null) return { op, message };
    if (runtime.executionProvider === 'wasm') throw new OnnxError(m.modelFile, `onnxruntime-web (wasm) cannot load it: ${message}`);
    if (runtime.executionProvider === 'cuda') {
      throw new UnsupportedError(`CUDA execution provider failed to start for ${m.modelFile}: ${message}; check that nvidia-smi sees a GPU`
        + ' and that CUDA 12 and cuDNN 9 are installed (albench doctor lists what is found)');
    }
    throw new OnnxError(m.modelFile, `onnxruntime cannot load it: ${message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every unit's optimised graph. cpu and wasm report the same one (onnxruntime-node's CPU provider with
 * the same settings: wasm cannot write its own), so a model timed on both has it read once; the
 * other device's child only checks that the model loads there.
 */
async function optimizedGraphs(units: readonly Unit[], workDir: string, devices: number, read: boolean, progress: Progress)
  : Promise<Array<OptimizedGraph | Unsupported | null>> {
  const cpuGraphs = new Map<ModelUnderTest, OptimizedGraph>();
  const graphs: Array<OptimizedGraph | Unsupported | null> = [];
  for (const u of units) {
    const onCpu = u.runtime.executionProvider !== 'cuda';
    if (read || u.runtime.executionProvider !== 'cpu') {
      progress.step(`${unitLabel(u, devices)}: loading ${read ? 'and reading back the optimised graph' : `on ${u.runtime.executionProvider}`}`);
    }
    const graph = await optimizedGraphOf(u, workDir, onCpu ? cpuGraphs.get(u.model) : undefined, read);
    if (onCpu && graph !== null && !('op' in graph)) cpuGraphs.set(u.model, graph);
    graphs.push(graph);
  }
  return graphs;
}

async function measureRound({ model: m, runtime }: Unit, p: GridPoint, s: TimingSettings): Promise<ChildReply<'measure'>> {
  return runChild({
    job: 'measure', modelFile: m.modelFile, runtime, ...p,
    tokenIdLimit: tokenIdLimit(m), warmupIterations: s.warmupIterations, stop: s.stop,
  });
}

function completedPoint(m: ModelUnderTest, p: GridPoint, rounds: readonly Measurement[]): PointResult {
  const { measurement, roundP50sMs, spreadMs } = summarizeRounds(rounds);
  const { loadMs, latency, memory } = measurement;
  return {
    ...p, state: 'completed', loadMs, latency, roundP50sMs, spreadMs, memory, ...flopsAtP50(m, p, latency.p50Ms),
    sequencesPerSecondAtP50: p.batchSize * (1000 / latency.p50Ms),
  };
}

interface Measured {
  readonly points: PointResult[][];
  readonly runOrder: RunSlot[];
}

const unitLabel = (u: Unit, devices: number) => (devices > 1 ? `${u.model.label} on ${u.runtime.executionProvider}` : u.model.label);

/**
 * Runs every (round, point, unit) child in runSchedule's order. A point that fails in one round
 * keeps that round's error and is not run again: a load or memory failure would only repeat. A
 * unit its device cannot run is not scheduled; its points say which operator is missing.
 */
async function measureAll(
  units: readonly Unit[], unsupported: ReadonlyArray<Unsupported | null>, points: readonly GridPoint[], s: TimingSettings, progress: Progress,
): Promise<Measured> {
  const schedule = runSchedule(units.length, points.length, s.rounds).filter((slot) => unsupported[slot.model] == null);
  const rounds: Measurement[][][] = units.map(() => points.map(() => []));
  const failures: Array<Array<PointResult | undefined>> = units.map((u, ui) => points.map((p) => {
    const lacking = unsupported[ui];
    return lacking == null ? undefined : { ...p, state: 'unsupported', device: u.runtime.executionProvider, ...lacking };
  }));
  const runOrder: RunSlot[] = [];
  for (const [i, slot] of schedule.entries()) {
    const u = units[slot.model] as Unit;
    const p = points[slot.point] as GridPoint;
    const failed = failures[slot.model] as Array<PointResult | undefined>;
    if (failed[slot.point] !== undefined) continue;
    const round = s.rounds > 1 ? `round ${slot.round + 1}/${s.rounds}: ` : '';
    progress.step(`[${i + 1}/${schedule.length}] ${round}${unitLabel(u, s.runtimes.length)} batch ${p.batchSize} seq ${p.sequenceLength}`);
    runOrder.push(slot);
    const reply = await measureRound(u, p, s);
    if (reply.ok) (rounds[slot.model]?.[slot.point] as Measurement[]).push(reply.measurement);
    else failed[slot.point] = { ...p, state: 'failed', error: { code: reply.stage === 'load' ? 'LOAD_FAILED' : 'RUN_FAILED', message: round + reply.message } };
  }
  return {
    points: units.map((u, ui) => points.map((p, pi) => failures[ui]?.[pi] ?? completedPoint(u.model, p, rounds[ui]?.[pi] ?? []))),
    runOrder,
  };
}

/** What an unsupported unit reports as its graph: it never loaded on its device. */
const NOT_LOADED: OptimizedGraph = { fusedOps: {}, opCounts: {}, nodes: 0 };

/**
 * Benchmarks every model at every grid point on every device, `rounds` times, each (device, model,
 * point, round) in a fresh child process so its memory peak is its own. The order (rounds.ts)
 * reverses the (device, model) units between rounds and at every other point, so slow drift of
 * the machine (heat, neighbours) lands on all alike; each point reports the median of its rounds
 * and their spread. Results come device-major: every model on the first device, then the next.
 */
export async function bench(opts: BenchOptions): Promise<BenchReport> {
  const points = gridPoints(opts.batchSizes, opts.sequenceLengths);
  checkSettings(opts);
  const settings = timingSettings(opts, BENCH_DEFAULTS);
  const { runtimes, warmupIterations, stop, rounds } = settings;
  if (runtimes.some((r) => r.executionProvider === 'cuda')) await requireCuda();
  if (runtimes.some((r) => r.executionProvider === 'wasm')) requireWasm();
  const progress = opts.progress ?? silentProgress;

  // Before any conversion of ours, so the load average shows the machine, not us.
  const startedAt = new Date().toISOString();
  const environment = await benchEnvironment(settings);
  const workDir = tempPathFor(path.join(os.tmpdir(), 'albench-bench'));
  fs.mkdirSync(workDir);
  try {
    const models = await materialize(opts.models, workDir, progress);
    checkSequenceLengths(models, opts.sequenceLengths);
    const units: Unit[] = runtimes.flatMap((runtime) => models.map((model) => ({ model, runtime })));
    const graphs = await optimizedGraphs(units, workDir, runtimes.length, opts.readOptimizedGraphs ?? true, progress);
    const unsupported = graphs.map((g) => (g !== null && 'op' in g ? g : null));
    const measured = await measureAll(units, unsupported, points, settings, progress);
    progress.done();
    const modelResults: ModelResult[] = units.map((u, ui) => {
      const graph = graphs[ui] ?? null;
      return {
        label: u.model.label, device: u.runtime.executionProvider, runtime: u.runtime,
        // A temporary random-weights model is gone after the run; its path would mislead.
        modelFile: opts.models[ui % models.length]?.kind === 'random' ? `(random weights: ${u.model.label})` : u.model.modelFile,
        modelBytesOnDisk: u.model.modelBytesOnDisk,
        modelType: u.model.config?.modelType ?? null,
        task: u.model.task,
        params: u.model.params,
        optimizedGraph: graph !== null && 'op' in graph ? NOT_LOADED : graph,
        points: measured.points[ui] as PointResult[],
      };
    });
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
