import fs from 'node:fs';
import path from 'node:path';
import { bench } from '../bench/bench.js';
import { collectEnvironment, readCpuInfo } from '../bench/env.js';
import { requireCuda } from '../bench/providers.js';
import type { Device, PointResult, RuntimeSettings, StopRule } from '../bench/schema.js';
import { readConfigFile } from '../checkpoint/config.js';
import { TOKENIZER_FILES } from '../checkpoint/load.js';
import { shardFiles } from '../checkpoint/sharded.js';
import { convert, MODEL_PATH, type ConvertRecord } from '../convert/convert.js';
import { AlbenchError } from '../errors.js';
import { evaluate } from '../eval/evaluate.js';
import { glueSplitPath } from '../eval/glue/read-split.js';
import { findGlueTask } from '../eval/glue/tasks.js';
import { resolveModel } from '../hub/resolve-model.js';
import { modelBytes } from '../quantize/quantize.js';
import { albertClaims } from '../report/claims.js';
import { recommend } from '../report/recommend.js';
import { REPORT_SCHEMA_VERSION, type Constraints, type Env, type LatencyPoint, type MetricResult, type ModelFacts, type Report, type SubsetSetting, type VariantName, type VariantResult } from '../report/schema.js';
import { writeReport } from '../report/write-report.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { sha256Files } from '../util/sha256.js';
import { ALBENCH_VERSION } from '../version.js';
import { StepCache } from './cache.js';
import { VARIANT_PRODUCERS } from './variants.js';

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

interface VariantFiles { readonly dir: string; readonly modelFile: string }
interface EvalFacts { readonly metrics: MetricResult[]; readonly predictions: number[] }
interface BenchFacts { readonly latency: LatencyPoint[]; readonly memory: { peakRssAfterLoadBytes: number; peakRssAfterRunsBytes: number } }

function errorOf(e: unknown): { code: string; message: string } {
  if (e instanceof AlbenchError) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

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

function latencyPoints(points: readonly PointResult[]): LatencyPoint[] {
  return points.map((p) => {
    if (p.state === 'failed') throw new Error(`b${p.batchSize} s${p.sequenceLength}: ${p.error.message}`);
    return {
      batchSize: p.batchSize, sequenceLength: p.sequenceLength,
      p50Ms: p.latency.p50Ms, p90Ms: p.latency.p90Ms, p99Ms: p.latency.p99Ms, meanMs: p.latency.meanMs, stdevMs: p.latency.stdevMs,
      rmePercent: p.latency.relativeMarginOfErrorPercent, samples: p.latency.samples,
      flops: p.flops?.total ?? 0, achievedGflopsPerSecond: p.achievedGflopPerSecondAtP50 ?? 0,
    };
  });
}

function toEnv(e: Awaited<ReturnType<typeof collectEnvironment>>, device: Device): Env {
  const flags = Object.entries({ avx2: e.cpu.flags.avx2, avx512f: e.cpu.flags.avx512f, avx512_vnni: e.cpu.flags.avx512Vnni, avx_vnni: e.cpu.flags.avxVnni, amx: e.cpu.flags.amx })
    .filter(([, on]) => on).map(([name]) => name);
  return {
    cpuModel: e.cpu.model, cpuFlags: flags, logicalCores: e.cpu.logicalCores, memoryBytes: e.memoryTotalBytes,
    os: `${e.os.name} (${e.os.platform} ${e.os.arch})`, node: e.node, onnxruntime: e.onnxruntime.version,
    device, executionProvider: e.onnxruntime.executionProvider, threads: e.onnxruntime.intraOpThreads,
  };
}

/**
 * `albench compare`: every model x variant converted, quantized, evaluated and timed, each step
 * cached by the content hash of what it depends on, then one report in four formats. A variant
 * that fails stays in the report with its error; the others still finish.
 */
export async function compare(opts: CompareOptions): Promise<CompareResult> {
  const started = performance.now();
  const progress = opts.progress ?? silentProgress;
  if (opts.device === 'cuda') await requireCuda();
  const cache = new StepCache(opts.cacheDir);
  const task = findGlueTask(opts.task);
  const [dataHash] = await sha256Files([glueSplitPath(task, 'dev', opts.dataDir)]);
  const runtime: RuntimeSettings = { executionProvider: opts.device, intraOpThreads: opts.threads ?? readCpuInfo().physicalCores, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
  const environment = await collectEnvironment(runtime);
  const benchKey = { v: ALBENCH_VERSION, cpu: environment.cpu.model, ort: environment.onnxruntime.version, runtime, grid: [opts.batchSizes, opts.sequenceLengths], warmup: opts.warmupIterations, stop: opts.stop };

  const models: ModelFacts[] = [];
  const variants: VariantResult[] = [];
  const pendingBench: Array<{ slot: number; files: VariantFiles; key: unknown }> = [];
  const facts = new Map<number, { files: VariantFiles; params: ConvertRecord['params']; eval: EvalFacts }>();
  const fp32Predictions = new Map<string, number[]>();

  for (const arg of opts.models) {
    progress.step(`${arg}: resolving`);
    let fp32Dir: string;
    let record: ConvertRecord;
    let convertKey: unknown;
    try {
      const resolved = await resolveModel(arg, { progress });
      const files = checkpointFiles(resolved.dir);
      const hashes = await sha256Files(files);
      convertKey = { v: ALBENCH_VERSION, hashes };
      progress.step(`${arg}: converting`);
      const converted = await cache.get('convert', convertKey, async (dir) => convert({ source: { kind: 'checkpoint', dir: resolved.dir }, outDir: path.join(dir, 'model'), knownSha256: new Map(files.map((f, i) => [f, hashes[i] ?? ''])) }));
      fp32Dir = path.join(converted.dir, 'model');
      record = converted.value;
      const cfg = readConfigFile(path.join(fp32Dir, 'config.json'));
      models.push({
        id: arg, source: describeSource(arg, resolved), modelType: cfg.modelType,
        hiddenSize: cfg.hiddenSize, embeddingSize: cfg.embeddingSize, layers: cfg.numHiddenLayers, groups: cfg.numHiddenGroups,
        params: { unique: record.params.unique.total, executed: record.params.executed.total },
      });
    } catch (e) {
      // Without a converted model no variant can run; each requested one fails with the reason.
      for (const variant of opts.variants) variants.push({ id: `${arg}/${variant}`, model: arg, variant, state: 'failed', error: errorOf(e) });
      continue;
    }
    for (const variant of opts.variants) {
      const id = `${arg}/${variant}`;
      try {
        progress.step(`${id}: building`);
        let files: VariantFiles;
        let variantKey: unknown;
        if (variant === 'fp32') {
          files = { dir: fp32Dir, modelFile: path.join(fp32Dir, MODEL_PATH) };
          variantKey = convertKey;
        } else {
          const producer = VARIANT_PRODUCERS[variant];
          const context = { task: task.id, dataDir: opts.dataDir };
          variantKey = { v: ALBENCH_VERSION, from: convertKey, variant, settings: producer.settings(context) };
          const made = await cache.get('variant', variantKey, (dir) => producer.produce(fp32Dir, dir, context));
          files = { dir: made.dir, modelFile: path.join(made.dir, made.value) };
        }
        progress.step(`${id}: evaluating on ${task.name}`);
        const evaluated = await cache.get<EvalFacts>('eval', { variantKey, task: task.id, subset: opts.subset, dataHash }, async () => {
          const r = await evaluate({ modelDir: files.dir, modelFile: files.modelFile, task: task.id, dataDir: opts.dataDir, subset: opts.subset });
          return {
            metrics: r.metrics.map((m) => ({ key: m.key, value: m.value, examples: r.examples, ci95Low: m.interval95.low, ci95High: m.interval95.high })),
            predictions: r.predictions.map((p) => p.pred),
          };
        });
        if (variant === 'fp32') fp32Predictions.set(arg, evaluated.value.predictions);
        const slot = variants.length;
        variants.push({ id, model: arg, variant, state: 'failed', error: { code: 'INTERNAL', message: 'not measured' } });
        facts.set(slot, { files, params: record.params, eval: evaluated.value });
        pendingBench.push({ slot, files, key: { ...benchKey, variantKey } });
      } catch (e) {
        variants.push({ id, model: arg, variant, state: 'failed', error: errorOf(e) });
      }
    }
  }

  // Timing: cached results are reused; everything else is timed in one bench run, interleaved.
  const timings = new Map<number, BenchFacts>();
  const toTime = pendingBench.filter((p) => {
    const hit = cache.lookup<BenchFacts>('bench', p.key);
    if (hit) timings.set(p.slot, hit.value);
    return hit === null;
  });
  if (toTime.length > 0) {
    progress.step(`timing ${toTime.length} variant(s)`);
    const result = await bench({
      models: toTime.map((p) => ({ kind: 'path' as const, path: p.files.modelFile })),
      batchSizes: opts.batchSizes, sequenceLengths: opts.sequenceLengths, device: opts.device,
      threads: runtime.intraOpThreads, warmupIterations: opts.warmupIterations, stop: opts.stop, progress,
    });
    for (const [i, p] of toTime.entries()) {
      const m = result.models[i];
      try {
        if (m === undefined) throw new Error('bench returned no result');
        const first = m.points.find((pt) => pt.state === 'completed');
        const value: BenchFacts = {
          latency: latencyPoints(m.points),
          memory: first?.state === 'completed' ? { peakRssAfterLoadBytes: first.memory.peakRssAfterLoadBytes, peakRssAfterRunsBytes: Math.max(...m.points.map((pt) => (pt.state === 'completed' ? pt.memory.peakRssAfterRunsBytes : 0))) } : { peakRssAfterLoadBytes: 0, peakRssAfterRunsBytes: 0 },
        };
        await cache.store('bench', p.key, () => value);
        timings.set(p.slot, value);
      } catch (e) {
        const v = variants[p.slot];
        if (v) variants[p.slot] = { id: v.id, model: v.model, variant: v.variant, state: 'failed', error: errorOf(e) };
      }
    }
  }

  for (const [slot, f] of facts) {
    const v = variants[slot];
    const t = timings.get(slot);
    if (v === undefined || t === undefined) continue;
    const reference = fp32Predictions.get(v.model);
    const agreement = reference === undefined ? undefined : f.eval.predictions.filter((p, i) => p === reference[i]).length / f.eval.predictions.length;
    variants[slot] = {
      id: v.id, model: v.model, variant: v.variant, state: 'completed', file: path.relative(opts.cacheDir, f.files.modelFile),
      sizeBytes: modelBytes(f.files.modelFile), params: { unique: f.params.unique.total, executed: f.params.executed.total },
      metrics: f.eval.metrics.map((m, i) => (i === 0 && agreement !== undefined ? { ...m, agreementWithFp32: agreement } : m)),
      latency: t.latency, memory: t.memory,
    };
  }

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    env: toEnv(environment, opts.device),
    settings: { task: task.id, subset: opts.subset, batchSizes: opts.batchSizes, sequenceLengths: opts.sequenceLengths, variants: opts.variants, warmupIterations: opts.warmupIterations, constraints: opts.constraints },
    models,
    variants,
    recommendation: recommend(variants, opts.constraints),
    claims: albertClaims({ models, variants }),
  };
  progress.step('writing reports');
  const reportDir = await writeReport(report, opts.reportsDir, opts.name);
  progress.done();
  return { report, reportDir, cacheHits: cache.hits.length, cacheMisses: cache.misses.length, seconds: (performance.now() - started) / 1000 };
}
