import type { Command } from 'commander';
import { defaultCacheDir } from '../cache/cache.js';
import { compare, COMPARE_DEFAULTS } from '../compare/compare.js';
import { parseShard } from '../compare/shard.js';
import { defaultReportName } from '../compare/model-arguments.js';
import { formatCompareSummary } from '../compare/summary.js';
import { UsageError } from '../errors.js';
import { BUNDLED_GLUE_DIR } from '../paths.js';
import { DEVICE_NAMES, VARIANT_NAMES, type Constraints, type VariantName } from '../report/model/types.js';
import type { CompareFlags } from './compare-flags.js';
import { compareSuite } from './compare-suite.js';
import { runOptions } from './compare-run-options.js';
import { addDeploymentOptions, deploymentEstimateLine } from './deployment-flags.js';
import { integer, nonNegative, subsetRequest } from './options.js';

const TIME_HELP = `time each variant for at least this long, and at least ${COMPARE_DEFAULTS.stop.minIterations} runs (default: at least`
  + ` ${COMPARE_DEFAULTS.stop.minIterations} runs, then until p50 is known within ±${COMPARE_DEFAULTS.stop.precision?.medianWithinPercent}% or`
  + ` ${COMPARE_DEFAULTS.stop.precision?.maxTimeMs} ms have passed: shorter than bench's default on purpose, a report times every variant)`;

export function addCompareCommand(program: Command): void {
  // --no-cache sets `cache` to false, so the folder --cache names is kept here, for the entries it may still store.
  let cacheDir = defaultCacheDir();
  const command = program
    .command('compare')
    .description('convert, quantize, evaluate and time models side by side; writes reports/<name>/report.{json,md,html,csv}')
    .argument('[models...]', 'bundled names (bert, albert), checkpoint folders or Hugging Face ids (none with --suite or --family)')
    .option('--variants <list>', `comma-separated: ${VARIANT_NAMES.join(', ')}`, COMPARE_DEFAULTS.variants.join(','))
    .option('--task <task>', 'GLUE task for accuracy (with --family: the suite\'s tasks, comma-separated)', COMPARE_DEFAULTS.task)
    .option('--data <dir>', 'GLUE data in its original layout', BUNDLED_GLUE_DIR)
    .option('--limit <n>', 'only the first N dev examples', integer('--limit'))
    .option('--sample <n>', 'a seeded sample of N dev examples, stratified by label', integer('--sample'))
    .option('--seed <n>', 'seed for --sample', integer('--seed'), 0)
    .option('--batch <list>', 'batch sizes to time, comma-separated', COMPARE_DEFAULTS.batchSizes.join(','))
    .option('--seq <list>', 'sequence lengths to time, comma-separated', COMPARE_DEFAULTS.sequenceLengths.join(','))
    .option('--device <list>', `${DEVICE_NAMES.join(', ')}; comma-separated to time several in the same rounds (the first decides`
      + ' claims and the recommendation; browser devices run in headless Chromium after the others)', 'cpu')
    .option('--threads <n>', 'intra-op threads (default: one per physical core)', integer('--threads'))
    .option('--warmup <n>', 'untimed runs before timing each variant (as in bench)', integer('--warmup'), COMPARE_DEFAULTS.warmupIterations)
    .option('--time <ms>', TIME_HELP, integer('--time'))
    .option('--rounds <n>', 'time every variant this many times (even, at least 4), each in its own process, order reversed between rounds;'
      + " p50 is the median of the rounds (bench's default is 1: ties are judged by the spread between rounds)", integer('--rounds'), COMPARE_DEFAULTS.rounds)
    .option('--reuse-timings', 'reuse a cached timing of the same variant file, settings and machine instead of timing again (marked reused)')
    .option('--max-size <MB>', 'recommend only variants at most this large', nonNegative('--max-size'))
    .option('--max-latency <ms>', 'recommend only variants at most this slow: the mean per request at the real inputs when --real-inputs'
      + ' measured every variant, else p50 at the first grid point', nonNegative('--max-latency'))
    .option('--min-accuracy <percent>', 'recommend only variants at least this accurate (the task\'s score, in percent)', nonNegative('--min-accuracy'))
    .option('--max-drop <points>', 'int8-auto: keep in float what it takes to stay within this many points of fp32 (default 1)', nonNegative('--max-drop'))
    .option('--reports <dir>', 'where report folders go', 'reports')
    .option('--name <name>', 'report folder name (default: the model names, or folder base names, joined by -vs-)')
    .option('--cache <dir>', 'cache of converted models, variants and measurements: a folder, or s3://bucket/prefix shared by several machines',
      (dir: string) => (cacheDir = dir), cacheDir)
    .option('--no-cache', 'recompute every step for this run instead of reusing cached results; a result is stored only where the cache has none')
    .option('--quiet', 'no progress, only the summary')
    .option('--full-paths', "write each folder model's absolute path into report.json's source (never into md, html, csv or the summary)")
    .option('--shard <K/N>', 'make only shard K (0-based) of N of the model x variant pairs (with --suite: of the family x task runs)'
      + ' and write a partial report; albench merge joins them',
      parseShard)
    .option('--no-transformers-js', 'do not load each variant in transformers.js to check it works there (the report then has no such column)')
    .option('--float32-vectors', 'int8-dynamic: keep biases and LayerNorm vectors float32 instead of float16')
    .option('--suite <file>', 'a GLUE suite (YAML or JSON): per model family one checkpoint per task; writes one suite report (docs/suite.md)')
    .option('--family <name=checkpoints>', 'a suite family from the command line, one checkpoint per --task, comma-separated '
      + '(repeat per family: --task sst2,mrpc --family bert=<sst2>,<mrpc> --family albert=<sst2>,<mrpc>)', collect, []);
  addDeploymentOptions(command)
    .action(async (models: string[], o: CompareFlags, command: Command) => {
      const variants = variantList(o.variants);
      const subset = subsetRequest(o);
      if (o.suite !== undefined || o.family.length > 0) {
        const given = command.getOptionValueSource('variants') === 'cli';
        await compareSuite(models, o, { variants, variantsGiven: given, subset, constraints: constraints(o), cacheDir });
        return;
      }
      if (models.length === 0) throw new UsageError('compare: name at least one model, or give --suite <file> or --family (see albench compare --help)');
      const given = (flag: string) => command.getOptionValueSource(flag) === 'cli';
      const options = { ...runOptions(o, constraints(o), cacheDir, given), models, variants, task: o.task, subset, name: o.name ?? defaultReportName(models) };
      const estimate = deploymentEstimateLine(options);
      if (estimate !== undefined && o.quiet !== true) process.stderr.write(`${estimate}\n`);
      const result = await compare(options);
      process.stdout.write(`${formatCompareSummary(result)}\n`);
      // The report is written either way; a failed model or variant must still fail a script or CI job.
      if (result.failures > 0) process.exitCode = 1;
    });
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function variantList(list: string): VariantName[] {
  const variants = list.split(',').map((v) => v.trim());
  const unknown = variants.filter((v) => !(VARIANT_NAMES as readonly string[]).includes(v));
  if (unknown.length > 0) throw new UsageError(`--variants: unknown ${unknown.join(', ')}; choose from ${VARIANT_NAMES.join(', ')}`);
  return variants as VariantName[];
}

/** The recommendation's limits, in the report's units (bytes, ms, a fraction). */
function constraints(o: CompareFlags): Constraints {
  return {
    ...(o.maxSize !== undefined ? { maxSizeBytes: o.maxSize * 1e6 } : {}),
    ...(o.maxLatency !== undefined ? { maxLatencyMs: o.maxLatency } : {}),
    ...(o.minAccuracy !== undefined ? { minAccuracy: o.minAccuracy / 100 } : {}),
    ...(o.maxDrop !== undefined ? { maxDropPoints: o.maxDrop } : {}),
  };
}
