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
import { formatConvertSummary } from './src/convert/summary.js';
import { AlbenchError, IoError, UsageError } from './src/errors.js';
import { formatInspect, inspect } from './src/inspect/inspect.js';
import { removePendingOutputs, writeFileAtomic } from './src/util/atomic.js';
import { terminalProgress } from './src/util/progress.js';
import { ALBENCH_VERSION } from './src/version.js';

const integer = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
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
  .description('convert a Hugging Face checkpoint folder (or a known config with random weights) to ONNX')
  .argument('[checkpoint-dir]', 'folder with config.json and model.safetensors / pytorch_model.bin')
  .requiredOption('-o, --output <dir>', 'output folder (HF ONNX layout: config.json, tokenizer files, onnx/model.onnx)')
  .addOption(taskOption())
  .option('--opset <n>', `ONNX opset (${SUPPORTED_OPSETS.min}-${SUPPORTED_OPSETS.max})`, integer('--opset'), SUPPORTED_OPSETS.default)
  .addOption(new Option('--weights <format>', 'which weight file to read when both exist').choices(['safetensors', 'bin']))
  .addOption(new Option('--config <name>', 'build a known architecture instead of reading a checkpoint').choices(KNOWN_CONFIG_NAMES))
  .option('--random-weights', 'with --config: seeded random weights (architecture only, no download)')
  .option('--seed <n>', 'seed for --random-weights', integer('--seed'), 0)
  .option('--no-validate', 'skip the comparison with the float64 reference forward pass')
  .option('--allow-nonfinite', 'convert even if weights hold NaN or Inf (warns instead of refusing)')
  .action(async (dir: string | undefined, o: { output: string; task?: HeadName; opset: number; weights?: 'safetensors' | 'bin'; config?: string; randomWeights?: boolean; seed: number; validate: boolean; allowNonfinite?: boolean }) => {
    let source: ConvertSource;
    if (o.config !== undefined) {
      if (dir !== undefined) throw new UsageError('give either a checkpoint folder or --config, not both');
      if (!o.randomWeights) throw new UsageError('--config needs --random-weights (there are no downloaded weights for it)');
      source = { kind: 'random', configName: o.config, seed: o.seed };
    } else {
      if (dir === undefined) throw new UsageError('give a checkpoint folder, or --config <name> --random-weights');
      source = { kind: 'checkpoint', dir, ...(o.weights ? { prefer: o.weights } : {}) };
    }
    const record = await convert({
      source, outDir: o.output, opset: o.opset, validate: o.validate, allowNonFinite: o.allowNonfinite ?? false,
      ...(o.task ? { task: o.task } : {}), progress: terminalProgress(), warn: (m) => process.stderr.write(`warning: ${m}\n`),
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
    process.stderr.write(`error: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = e.exitCode;
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`error: ${err.message}\n`);
    process.stderr.write(debug ? `${err.stack ?? ''}\n` : 'run again with --debug for details, and please report it\n');
    process.exitCode = 1;
  }
}
