import { Option, type Command } from 'commander';
import { BENCH_DEFAULTS } from '../bench/bench.js';
import { parseSizeList } from '../bench/grid.js';
import type { StopRule } from '../bench/schema.js';
import { browserBench, failedBrowserPoints } from '../browser/browser-bench.js';
import { formatBrowserBenchReport } from '../browser/format.js';
import { BROWSER_DEVICES, type BrowserDevice } from '../browser/protocol.js';
import { consoleProgress } from '../util/progress.js';
import { integer, jsonOption, jsonTarget, writeResult } from './options.js';

interface BrowserBenchFlags {
  batch: string; seq: string; threads?: number; device: BrowserDevice; warmup: number; iterations?: number; time?: number; rounds: number;
  allowSoftwareWebgpu?: boolean; json?: string | boolean;
}

const DESCRIPTION = 'latency inside headless Chromium with onnxruntime-web (WebAssembly or WebGPU), the page served by albench from 127.0.0.1;'
  + ' needs playwright-core and Chromium';

export function addBrowserBenchCommand(program: Command): void {
  program
    .command('browser-bench')
    .description(DESCRIPTION)
    .argument('<models...>', 'folders written by albench convert (onnx/model.onnx), or .onnx files')
    .option('--batch <list>', 'batch sizes, comma-separated', '1')
    .option('--seq <list>', 'sequence lengths, comma-separated', '128')
    .addOption(new Option('--device <device>', 'onnxruntime-web backend; webgpu says "not available here" where the browser has no adapter')
      .choices(BROWSER_DEVICES).default('wasm'))
    .option('--threads <n>', 'WebAssembly threads (default: one per physical core)', integer('--threads'))
    .option('--warmup <n>', 'untimed runs before timing each point', integer('--warmup'), BENCH_DEFAULTS.warmupIterations)
    .addOption(new Option('--iterations <n>', `timed runs per point (default: at least ${BENCH_DEFAULTS.stop.minIterations} and `
      + `${BENCH_DEFAULTS.stop.minTimeMs} ms, as bench)`).argParser(integer('--iterations')).conflicts('time'))
    .option('--time <ms>', 'time each point for this many milliseconds, at least one run', integer('--time'))
    .option('--rounds <n>', 'time every model this many times, each in a fresh page, the order reversed every other round;'
      + ' p50 is the median of the rounds\' p50s and the spread between rounds is reported', integer('--rounds'), 1)
    .option('--allow-software-webgpu', 'with --device webgpu, time a software adapter (SwiftShader, the GPU emulated on the CPU) too:'
      + ' it tells whether a model loads and runs on WebGPU, not how fast a GPU runs it')
    .addOption(jsonOption('the full result (albench-browser-bench, schemaVersion 1)'))
    .action(async (paths: string[], o: BrowserBenchFlags) => {
      const json = jsonTarget(o.json);
      const report = await browserBench({
        models: paths.map((p) => ({ path: p })), device: o.device, batchSizes: parseSizeList('batchSize', o.batch),
        sequenceLengths: parseSizeList('sequenceLength', o.seq), warmupIterations: o.warmup, rounds: o.rounds, progress: consoleProgress(),
        ...(o.allowSoftwareWebgpu ? { allowSoftwareWebgpu: true } : {}),
        ...(o.threads !== undefined ? { threads: o.threads } : {}), ...stopRule(o),
      });
      writeResult(json, report, () => formatBrowserBenchReport(report));
      const failed = failedBrowserPoints(report);
      if (failed > 0) {
        process.stderr.write(`error: ${failed} grid point(s) failed in the browser; the errors are in the ${json.kind === 'stdout' ? 'JSON' : 'table'}\n`);
        process.exitCode = 1;
      }
    });
}

function stopRule(o: BrowserBenchFlags): { stop?: StopRule } {
  if (o.iterations !== undefined) return { stop: { minIterations: o.iterations, minTimeMs: 0 } };
  return o.time !== undefined ? { stop: { minIterations: 1, minTimeMs: o.time } } : {};
}
