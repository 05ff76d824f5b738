import { Option, type Command } from 'commander';
import { bench, BENCH_DEFAULTS, failedPoints, type ModelSource } from '../bench/bench.js';
import { formatBenchReport } from '../bench/format.js';
import { parseSizeList } from '../bench/grid.js';
import { parseDeviceList } from '../bench/runtime-settings.js';
import { DEVICES, type StopRule } from '../bench/schema.js';
import type { HeadName } from '../arch/types.js';
import { UsageError } from '../errors.js';
import { consoleProgress } from '../util/progress.js';
import { integer, jsonOption, jsonTarget, knownConfigNames, taskOption, writeResult, type JsonTarget } from './options.js';

interface BenchFlags {
  batch: string; seq: string; threads?: number; device: string; warmup: number; iterations?: number; time?: number; rounds: number;
  config?: string[]; randomWeights?: boolean; seed: number; task?: HeadName; json?: string | boolean;
}

const TIME_HELP = 'time each point for this many milliseconds, at least one run (compare\'s default is shorter: it times every variant)';
const ITERATIONS_HELP = `timed runs per point (default: at least ${BENCH_DEFAULTS.stop.minIterations} and ${BENCH_DEFAULTS.stop.minTimeMs} ms)`;

export function addBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('latency, memory, parameters and FLOPs over a batch x sequence grid; each model runs in its own process')
    .argument('[models...]', 'folders written by albench convert (onnx/model.onnx), or .onnx files')
    .option('--batch <list>', 'batch sizes, comma-separated', '1')
    .option('--seq <list>', 'sequence lengths, comma-separated', '128')
    .option('--threads <n>', 'intra-op threads (default: one per physical core)', integer('--threads'))
    .option('--device <list>', `${DEVICES.join(', ')}; comma-separated to time several in the same rounds (wasm: onnxruntime-web's `
      + 'WebAssembly backend); cuda never falls back to cpu', 'cpu')
    .option('--warmup <n>', 'untimed runs before timing each point (as in compare)', integer('--warmup'), BENCH_DEFAULTS.warmupIterations)
    .addOption(new Option('--iterations <n>', ITERATIONS_HELP).argParser(integer('--iterations')).conflicts('time'))
    .option('--time <ms>', TIME_HELP, integer('--time'))
    .option('--rounds <n>', 'time every model at every point this many times, each in its own process, order reversed between rounds;'
      + " p50 is the median of the rounds (compare's default is 4: its verdicts need the spread between rounds, and an even count cancels drift)",
    integer('--rounds'), BENCH_DEFAULTS.rounds)
    .option('--config <name>', 'bench a known architecture (with --random-weights); repeat for several', knownConfigNames)
    .option('--random-weights', 'with --config: seeded random weights, converted to a temporary folder')
    .option('--seed <n>', 'seed for --random-weights', integer('--seed'), 0)
    .addOption(taskOption('with --config: head to build (default: from the config\'s architectures)'))
    .addOption(jsonOption('the full result (schemaVersion 1)'))
    .action(async (paths: string[], o: BenchFlags) => {
      const json = jsonTarget(o.json);
      const report = await bench({
        models: modelSources(paths, o), batchSizes: parseSizeList('batchSize', o.batch), sequenceLengths: parseSizeList('sequenceLength', o.seq),
        devices: parseDeviceList(o.device), warmupIterations: o.warmup, rounds: o.rounds, progress: consoleProgress(),
        ...(o.threads !== undefined ? { threads: o.threads } : {}), ...stopRule(o),
      });
      writeResult(json, report, () => formatBenchReport(report));
      const failed = failedPoints(report);
      if (failed > 0) {
        process.stderr.write(`error: ${failed} grid point(s) failed; their errors are ${whereErrorsAre(json)}\n`);
        process.exitCode = 1;
      }
    });
}

/** The models to bench, after refusing flag combinations that mean nothing. */
function modelSources(paths: readonly string[], o: BenchFlags): ModelSource[] {
  const configs = o.config ?? [];
  if (configs.length > 0 && !o.randomWeights) throw new UsageError('--config needs --random-weights (there are no downloaded weights for it)');
  if (o.randomWeights && configs.length === 0) throw new UsageError('--random-weights needs --config <name>');
  if (o.task !== undefined && configs.length === 0) throw new UsageError('--task applies to --config models; a converted model already has its head');
  return [
    ...paths.map((p) => ({ kind: 'path', path: p }) as const),
    ...configs.map((configName) => ({ kind: 'random', configName, seed: o.seed, ...(o.task ? { task: o.task } : {}) }) as const),
  ];
}

function whereErrorsAre(json: JsonTarget): string {
  if (json.kind === 'stdout') return 'in the JSON';
  return json.kind === 'file' ? `in the table and in ${json.file}` : 'in the table';
}

function stopRule(o: BenchFlags): { stop?: StopRule } {
  if (o.iterations !== undefined) return { stop: { minIterations: o.iterations, minTimeMs: 0 } };
  return o.time !== undefined ? { stop: { minIterations: 1, minTimeMs: o.time } } : {};
}
