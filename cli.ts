#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { bench, BENCH_DEFAULTS, failedPoints, type ModelSource } from './src/bench/bench.js';
import { doctor, formatDoctor } from './src/bench/doctor.js';
import { formatBenchReport } from './src/bench/format.js';
import { parseSizeList } from './src/bench/grid.js';
import { DEVICES, type Device, type StopRule } from './src/bench/schema.js';
import { convert, SUPPORTED_OPSETS, type ConvertSource } from './src/convert/convert.js';
import { KNOWN_CONFIG_NAMES } from './src/convert/known.js';
import { HEADS, type HeadName } from './src/convert/models/types.js';
import { defaultCacheDir } from './src/compare/cache.js';
import { compare, COMPARE_DEFAULTS } from './src/compare/compare.js';
import { formatCompareSummary } from './src/compare/summary.js';
import { formatConvertSummary } from './src/convert/summary.js';
import { AlbenchError, IoError, UsageError } from './src/errors.js';
import { evaluate, formatEval, predictionsTsv } from './src/eval/evaluate.js';
import type { SubsetRequest } from './src/eval/glue/subset.js';
import { resolveModel } from './src/hub/resolve-model.js';
import { formatInspect, inspect } from './src/inspect/inspect.js';
import { formatOptimizeSummary, optimizeFile } from './src/optimize/optimize.js';
import type { QuantizeOptions } from './src/quantize/options.js';
import { CALIBRATION_DEFAULTS } from './src/quantize/calibrate/calibrate.js';
import { CALIBRATION_METHODS, type CalibrationMethod } from './src/quantize/calibrate/estimator.js';
import { formatQuantizeSummary, quantizeCalibrated, quantizeFile, type QuantizeRecord } from './src/quantize/quantize.js';
import { BUNDLED_GLUE_DIR } from './src/paths.js';
import { DEFAULT_THRESHOLDS, hasRegression } from './src/report/regress.js';
import { runRegress } from './src/report/run-regress.js';
import { VARIANT_NAMES, type VariantName } from './src/report/schema.js';
import { removePendingOutputs, writeFileAtomic } from './src/util/atomic.js';
import { silentProgress, terminalProgress } from './src/util/progress.js';
import { ALBENCH_VERSION } from './src/version.js';
import { safeLine } from './src/util/safe-text.js';

const integer = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};

const nonNegative = (name: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0`);
  return n;
};

const knownConfigNames = (value: string, previous: string[] | undefined): string[] => {
  if (!KNOWN_CONFIG_NAMES.includes(value)) throw new InvalidArgumentError(`known configs: ${KNOWN_CONFIG_NAMES.join(', ')}`);
  return [...(previous ?? []), value];
};

const taskOption = () => new Option('--task <task>', 'head to export (default: from config.json architectures)').choices(HEADS);

const program = new Command('albench')
  .description('Convert BERT/ALBERT checkpoints to ONNX, quantize them, and measure cost and accuracy')
  .version(ALBENCH_VERSION)
  .option('--debug', 'print stack traces on errors')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('convert')
  .description('convert a Hugging Face checkpoint (bundled, a folder or a hub id), or a known config with random weights, to ONNX')
  .argument('[model]', 'bundled name (bert, albert), checkpoint folder, or Hugging Face model id (org/name[@revision], downloaded into the Hugging Face cache)')
  .requiredOption('-o, --output <dir>', 'output folder (HF ONNX layout: config.json, tokenizer files, onnx/model.onnx)')
  .addOption(taskOption())
  .option('--opset <n>', `ONNX opset (${SUPPORTED_OPSETS.min}-${SUPPORTED_OPSETS.max})`, integer('--opset'), SUPPORTED_OPSETS.default)
  .addOption(new Option('--weights <format>', 'which weight file to read when both exist').choices(['safetensors', 'bin']))
  .addOption(new Option('--config <name>', 'build a known architecture instead of reading a checkpoint').choices(KNOWN_CONFIG_NAMES))
  .option('--random-weights', 'with --config: seeded random weights (architecture only, no download)')
  .option('--seed <n>', 'seed for --random-weights', integer('--seed'), 0)
  .option('--no-validate', 'skip the comparison with the float64 reference forward pass')
  .option('--allow-nonfinite', 'convert even if weights hold NaN or Inf (warns instead of refusing)')
  .action(async (model: string | undefined, o: { output: string; task?: HeadName; opset: number; weights?: 'safetensors' | 'bin'; config?: string; randomWeights?: boolean; seed: number; validate: boolean; allowNonfinite?: boolean }) => {
    const progress = terminalProgress();
    const warn = (m: string) => process.stderr.write(`warning: ${safeLine(m)}\n`);
    const prefer = o.weights ? { prefer: o.weights } : {};
    let source: ConvertSource;
    if (o.config !== undefined) {
      if (model !== undefined) throw new UsageError('give either a model or --config, not both');
      if (!o.randomWeights) throw new UsageError('--config needs --random-weights (there are no downloaded weights for it)');
      source = { kind: 'random', configName: o.config, seed: o.seed };
    } else {
      if (model === undefined) throw new UsageError('give a model (bert, albert, a checkpoint folder or a hub id), or --config <name> --random-weights');
      const { dir } = await resolveModel(model, { progress, warn, ...prefer });
      source = { kind: 'checkpoint', dir, ...prefer };
    }
    const record = await convert({
      source, outDir: o.output, opset: o.opset, validate: o.validate, allowNonFinite: o.allowNonfinite ?? false,
      ...(o.task ? { task: o.task } : {}), progress, warn,
    });
    process.stdout.write(`${formatConvertSummary(record, o.output)}\n`);
  });

program
  .command('inspect')
  .description('parameter counts (unique and executed, by component) and bytes per dtype')
  .argument('<target>', `checkpoint folder or known config (${KNOWN_CONFIG_NAMES.join(', ')})`)
  .addOption(taskOption())
  .option('--json', 'print JSON')
  .action((target: string, o: { task?: HeadName; json?: boolean }) => {
    const report = inspect(target, o.task);
    process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatInspect(report)}\n`);
  });

program
  .command('eval')
  .description('accuracy of a converted model on a GLUE dev set, with 95% bootstrap intervals')
  .argument('<model-dir>', 'converted model folder (config.json, tokenizer files, onnx/model.onnx)')
  .requiredOption('--task <task>', 'GLUE task: cola, sst2, mrpc, stsb, qqp, mnli-m, mnli-mm, qnli, rte, wnli')
  .option('--data <dir>', 'GLUE data in its original layout', BUNDLED_GLUE_DIR)
  .option('--model-file <file>', 'the ONNX graph to run (default <model-dir>/onnx/model.onnx)')
  .option('--batch <n>', 'batch size', integer('--batch'), 32)
  .option('--max-length <n>', 'truncate inputs to this many tokens', integer('--max-length'), 128)
  .option('--limit <n>', 'only the first N examples', integer('--limit'))
  .option('--sample <n>', 'a seeded sample of N examples, stratified by label', integer('--sample'))
  .option('--seed <n>', 'seed for --sample', integer('--seed'), 0)
  .option('--threads <n>', 'onnxruntime intra-op threads', integer('--threads'))
  .option('--predictions <file>', 'write per-example predictions and logits (TSV)')
  .option('--json', 'print the result as JSON')
  .action(async (modelDir: string, o: { task: string; data: string; modelFile?: string; batch: number; maxLength: number; limit?: number; sample?: number; seed: number; threads?: number; predictions?: string; json?: boolean }) => {
    if (o.limit !== undefined && o.sample !== undefined) throw new UsageError('give --limit or --sample, not both');
    const subset: SubsetRequest = o.limit !== undefined ? { kind: 'limit', limit: o.limit } : o.sample !== undefined ? { kind: 'sample', size: o.sample, seed: o.seed } : { kind: 'all' };
    const result = await evaluate({
      modelDir, task: o.task, dataDir: o.data, subset, batchSize: o.batch, maxLength: o.maxLength, progress: terminalProgress(),
      ...(o.modelFile ? { modelFile: o.modelFile } : {}), ...(o.threads ? { threads: o.threads } : {}),
    });
    if (o.predictions) writeFileAtomic(o.predictions, predictionsTsv(result));
    const { predictions: _omitted, ...summary } = result;
    process.stdout.write(`${o.json ? JSON.stringify(summary, null, 2) : formatEval(result)}\n`);
  });

interface QuantizeFlags {
  output?: string; format: 'qoperator' | 'qdq'; bits: '8' | '4'; blockSize: number; weightType: 'int8' | 'uint8'; perChannel?: boolean; reduceRange?: boolean;
  embeddings: 'fp32' | 'int8'; float16Vectors?: boolean; exclude?: string[];
  calibrate?: string; samples: number; method: CalibrationMethod; percentile: number; seed: number; data: string; threads?: number;
}

program
  .command('quantize')
  .description('int8 (dynamic, or static with --calibrate) or 4-bit weight-only variant of a converted model; lands beside it under the transformers.js name')
  .argument('<model>', 'converted model folder (uses onnx/model.onnx) or an .onnx file')
  .option('-o, --output <file>', 'output file (default: onnx/model_quantized.onnx, model_uint8.onnx, model_int8.onnx (static) or model_q4.onnx beside the input)')
  .addOption(new Option('--format <format>', 'integer operators or QuantizeLinear/DequantizeLinear pairs (static int8 is always QDQ)').choices(['qoperator', 'qdq']).default('qoperator'))
  .addOption(new Option('--bits <n>', '8: int8 weights and activations; 4: weight-only 4-bit blocks (MatMulNBits)').choices(['8', '4']).default('8'))
  .option('--block-size <n>', 'with --bits 4: values per block along K (power of two, >= 16)', integer('--block-size'), 32)
  .addOption(new Option('--weight-type <type>', 'int8 (symmetric) or uint8 (asymmetric) weights').choices(['int8', 'uint8']).default('int8'))
  .option('--per-channel', 'one scale per output channel instead of per tensor')
  .option('--reduce-range', '7-bit weights, for CPUs without VNNI whose u8s8 kernels can saturate')
  .addOption(new Option('--embeddings <type>', 'quantize the embedding tables too (int8; 4-bit blocks with --bits 4)').choices(['fp32', 'int8']).default('fp32'))
  .option('--float16-vectors', 'store biases and LayerNorm vectors as float16 (cast back at load; computation stays float32)')
  .option('--exclude <pattern...>', 'node names to keep in float (* and ? match the whole name; otherwise a substring)')
  .option('--calibrate <task>', 'static int8: measure activation ranges on this GLUE task (its train split if present, else dev) and fix them in a QDQ model')
  .option('--samples <n>', 'with --calibrate: examples to calibrate on (a seeded sample stratified by label)', integer('--samples'), CALIBRATION_DEFAULTS.samples)
  .addOption(new Option('--method <method>', 'with --calibrate: how a range is chosen from the values seen').choices(CALIBRATION_METHODS).default(CALIBRATION_DEFAULTS.method))
  .option('--percentile <p>', 'with --method percentile: the share of each tail kept, in percent', nonNegative('--percentile'), CALIBRATION_DEFAULTS.percentile)
  .option('--seed <n>', 'with --calibrate: seed of the sample', integer('--seed'), CALIBRATION_DEFAULTS.seed)
  .option('--data <dir>', 'with --calibrate: GLUE data in its original layout', BUNDLED_GLUE_DIR)
  .option('--threads <n>', 'with --calibrate: onnxruntime intra-op threads for the calibration runs', integer('--threads'))
  .action(async (model: string, o: QuantizeFlags) => {
    const options: Partial<QuantizeOptions> = {
      format: o.format, bits: o.bits === '4' ? 4 : 8, blockSize: o.blockSize, weightType: o.weightType, perChannel: o.perChannel ?? false,
      reduceRange: o.reduceRange ?? false, embeddings: o.embeddings === 'int8', float16Vectors: o.float16Vectors ?? false, exclude: o.exclude ?? [],
    };
    const request = { input: model, ...(o.output ? { output: o.output } : {}), options };
    const record: QuantizeRecord = o.calibrate === undefined
      ? quantizeFile(request)
      : await quantizeCalibrated({
        ...request, ...(o.threads ? { threads: o.threads } : {}),
        calibration: { ...CALIBRATION_DEFAULTS, task: o.calibrate, dataDir: o.data, samples: o.samples, seed: o.seed, method: o.method, percentile: o.percentile },
      });
    process.stdout.write(`${formatQuantizeSummary(record)}\n`);
  });

program
  .command('regress')
  .description('compare a report with a baseline report; exit 0 within thresholds, 1 when one is crossed, 2 on bad input')
  .requiredOption('--baseline <file>', 'report.json to compare against (e.g. one committed in the repo)')
  .requiredOption('--current <file>', 'report.json of this run')
  .option('--max-accuracy-drop <points>', 'largest allowed drop of the first metric, in points', nonNegative('--max-accuracy-drop'), DEFAULT_THRESHOLDS.maxAccuracyDropPoints)
  .option('--max-latency-increase <percent>', 'largest allowed p50 increase, in percent (only increases beyond the recorded noise count)', nonNegative('--max-latency-increase'), DEFAULT_THRESHOLDS.maxLatencyIncreasePercent)
  .option('--max-size-increase <percent>', 'largest allowed file size increase, in percent', nonNegative('--max-size-increase'), DEFAULT_THRESHOLDS.maxSizeIncreasePercent)
  .option('--junit <file>', 'also write the checks as JUnit XML')
  .action((o: { baseline: string; current: string; maxAccuracyDrop: number; maxLatencyIncrease: number; maxSizeIncrease: number; junit?: string }) => {
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    const { result, markdown } = runRegress({
      baselineFile: o.baseline, currentFile: o.current,
      thresholds: { maxAccuracyDropPoints: o.maxAccuracyDrop, maxLatencyIncreasePercent: o.maxLatencyIncrease, maxSizeIncreasePercent: o.maxSizeIncrease },
      ...(o.junit ? { junitFile: o.junit } : {}), ...(stepSummary ? { stepSummaryFile: stepSummary } : {}),
    });
    process.stdout.write(markdown);
    process.exitCode = hasRegression(result) ? 1 : 0;
  });

program
  .command('bench')
  .description('latency, memory, parameters and FLOPs over a batch x sequence grid; each model runs in its own process')
  .argument('[models...]', 'folders written by albench convert (onnx/model.onnx), or .onnx files')
  .option('--batch <list>', 'batch sizes, comma-separated', '1')
  .option('--seq <list>', 'sequence lengths, comma-separated', '128')
  .option('--threads <n>', 'intra-op threads (default: one per physical core)', integer('--threads'))
  .addOption(new Option('--device <device>', 'execution provider; cuda never falls back to cpu').choices(DEVICES).default('cpu'))
  .option('--warmup <n>', 'untimed runs before timing each point', integer('--warmup'), BENCH_DEFAULTS.warmupIterations)
  .addOption(new Option('--iterations <n>', `timed runs per point (default: at least ${BENCH_DEFAULTS.stop.minIterations} and ${BENCH_DEFAULTS.stop.minTimeMs} ms)`).argParser(integer('--iterations')).conflicts('time'))
  .option('--time <ms>', 'time each point for this many milliseconds (at least one run)', integer('--time'))
  .option('--config <name>', 'bench a known architecture (with --random-weights); repeat for several', knownConfigNames)
  .option('--random-weights', 'with --config: seeded random weights, converted to a temporary folder')
  .option('--seed <n>', 'seed for --random-weights', integer('--seed'), 0)
  .addOption(new Option('--task <task>', 'with --config: head to build (default: from the config\'s architectures)').choices(HEADS))
  .option('--json <file>', 'also write the full result as JSON (schemaVersion 1)')
  .action(async (paths: string[], o: { batch: string; seq: string; threads?: number; device: Device; warmup: number; iterations?: number; time?: number; config?: string[]; randomWeights?: boolean; seed: number; task?: HeadName; json?: string }) => {
    const configs = o.config ?? [];
    if (configs.length > 0 && !o.randomWeights) throw new UsageError('--config needs --random-weights (there are no downloaded weights for it)');
    if (o.randomWeights && configs.length === 0) throw new UsageError('--random-weights needs --config <name>');
    if (o.task !== undefined && configs.length === 0) throw new UsageError('--task applies to --config models; a converted model already has its head');
    if (o.json !== undefined && !fs.existsSync(path.dirname(path.resolve(o.json)))) throw new IoError(`--json ${o.json}: the folder ${path.dirname(path.resolve(o.json))} does not exist`);
    const stop: StopRule | undefined = o.iterations !== undefined ? { minIterations: o.iterations, minTimeMs: 0 }
      : o.time !== undefined ? { minIterations: 1, minTimeMs: o.time } : undefined;
    const models: ModelSource[] = [
      ...paths.map((p) => ({ kind: 'path', path: p }) as const),
      ...configs.map((configName) => ({ kind: 'random', configName, seed: o.seed, ...(o.task ? { task: o.task } : {}) }) as const),
    ];
    const report = await bench({
      models, batchSizes: parseSizeList('batchSize', o.batch), sequenceLengths: parseSizeList('sequenceLength', o.seq), device: o.device,
      warmupIterations: o.warmup, progress: terminalProgress(), ...(o.threads !== undefined ? { threads: o.threads } : {}), ...(stop ? { stop } : {}),
    });
    if (o.json !== undefined) writeFileAtomic(o.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${formatBenchReport(report)}\n`);
    const failed = failedPoints(report);
    if (failed > 0) {
      process.stderr.write(`error: ${failed} grid point(s) failed; their errors are in the table${o.json !== undefined ? ` and in ${o.json}` : ''}\n`);
      process.exitCode = 1;
    }
  });

program
  .command('doctor')
  .description('what albench bench can use here: execution providers, CUDA libraries, GPUs, CPU features')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const report = await doctor();
    process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatDoctor(report)}\n`);
  });

program
  .command('compare')
  .description('convert, quantize, evaluate and time models side by side; writes reports/<name>/report.{json,md,html,csv}')
  .argument('<models...>', 'bundled names (bert, albert), checkpoint folders or Hugging Face ids')
  .option('--variants <list>', `comma-separated: ${VARIANT_NAMES.join(', ')}`, COMPARE_DEFAULTS.variants.join(','))
  .option('--task <task>', 'GLUE task for accuracy', COMPARE_DEFAULTS.task)
  .option('--data <dir>', 'GLUE data in its original layout', BUNDLED_GLUE_DIR)
  .option('--limit <n>', 'only the first N dev examples', integer('--limit'))
  .option('--sample <n>', 'a seeded sample of N dev examples, stratified by label', integer('--sample'))
  .option('--seed <n>', 'seed for --sample', integer('--seed'), 0)
  .option('--batch <list>', 'batch sizes to time, comma-separated', COMPARE_DEFAULTS.batchSizes.join(','))
  .option('--seq <list>', 'sequence lengths to time, comma-separated', COMPARE_DEFAULTS.sequenceLengths.join(','))
  .addOption(new Option('--device <device>', 'execution provider').choices(DEVICES).default('cpu'))
  .option('--threads <n>', 'intra-op threads (default: one per physical core)', integer('--threads'))
  .option('--warmup <n>', 'untimed runs before timing', integer('--warmup'), COMPARE_DEFAULTS.warmupIterations)
  .option('--time <ms>', 'time each variant for at least this long', integer('--time'), COMPARE_DEFAULTS.stop.minTimeMs)
  .option('--max-size <MB>', 'recommend only variants at most this large', nonNegative('--max-size'))
  .option('--max-latency <ms>', 'recommend only variants at most this slow (p50, first grid point)', nonNegative('--max-latency'))
  .option('--min-accuracy <percent>', 'recommend only variants at least this accurate (first metric, in percent)', nonNegative('--min-accuracy'))
  .option('--reports <dir>', 'where report folders go', 'reports')
  .option('--name <name>', 'report folder name (default: the model names joined by -vs-)')
  .option('--cache <dir>', 'cache of converted models, variants and measurements', defaultCacheDir())
  .option('--quiet', 'no progress, only the summary')
  .action(async (models: string[], o: { variants: string; task: string; data: string; limit?: number; sample?: number; seed: number; batch: string; seq: string; device: Device; threads?: number; warmup: number; time: number; maxSize?: number; maxLatency?: number; minAccuracy?: number; reports: string; name?: string; cache: string; quiet?: boolean }) => {
    const variants = o.variants.split(',').map((v) => v.trim());
    const unknown = variants.filter((v) => !(VARIANT_NAMES as readonly string[]).includes(v));
    if (unknown.length > 0) throw new UsageError(`--variants: unknown ${unknown.join(', ')}; choose from ${VARIANT_NAMES.join(', ')}`);
    if (o.limit !== undefined && o.sample !== undefined) throw new UsageError('give --limit or --sample, not both');
    const result = await compare({
      models, variants: variants as VariantName[], task: o.task, dataDir: o.data,
      subset: o.limit !== undefined ? { kind: 'limit', limit: o.limit } : o.sample !== undefined ? { kind: 'sample', size: o.sample, seed: o.seed } : { kind: 'all' },
      batchSizes: parseSizeList('batchSize', o.batch), sequenceLengths: parseSizeList('sequenceLength', o.seq), device: o.device,
      ...(o.threads !== undefined ? { threads: o.threads } : {}), warmupIterations: o.warmup, stop: { minIterations: COMPARE_DEFAULTS.stop.minIterations, minTimeMs: o.time },
      constraints: {
        ...(o.maxSize !== undefined ? { maxSizeBytes: o.maxSize * 1e6 } : {}),
        ...(o.maxLatency !== undefined ? { maxLatencyMs: o.maxLatency } : {}),
        ...(o.minAccuracy !== undefined ? { minAccuracy: o.minAccuracy / 100 } : {}),
      },
      reportsDir: o.reports, name: o.name ?? models.map((m) => m.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-vs-'), cacheDir: o.cache,
      progress: o.quiet ? silentProgress : terminalProgress(),
    });
    process.stdout.write(`${formatCompareSummary(result)}\n`);
  });

program
  .command('optimize')
  .description('fuse each self-attention block into one onnxruntime Attention node (optionally float16 for CUDA); lands beside the model')
  .argument('<model>', 'converted model folder (uses onnx/model.onnx) or an .onnx file')
  .option('-o, --output <file>', 'output file (default: onnx/model_optimized.onnx, or model_fp16.onnx with --fp16, beside the input)')
  .option('--fp16', 'float16 weights and computation (for CUDA); inputs and outputs keep their types')
  .action((model: string, o: { output?: string; fp16?: boolean }) => {
    const record = optimizeFile({ input: model, fp16: o.fp16 ?? false, ...(o.output ? { output: o.output } : {}) });
    process.stdout.write(`${formatOptimizeSummary(record)}\n`);
  });

process.on('SIGINT', () => {
  removePendingOutputs();
  process.stderr.write('\ninterrupted; no partial output was left\n');
  process.exit(130);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const debug = program.opts<{ debug?: boolean }>().debug === true || process.argv.includes('--debug');
  removePendingOutputs();
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof AlbenchError) {
    process.stderr.write(`error: ${safeLine(e.message)}\n`);
    if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = e.exitCode;
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: ${safeLine(err.message)}\n`);
    process.stderr.write(debug ? `${err.stack ?? ''}\n` : 'run again with --debug for details, and please report it\n');
    process.exitCode = 1;
  }
}
