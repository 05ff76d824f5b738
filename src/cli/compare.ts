import { Option, type Command } from 'commander';
import { parseSizeList } from '../bench/grid.js';
import { DEVICES, type Device } from '../bench/schema.js';
import { defaultCacheDir } from '../compare/cache.js';
import { compare, COMPARE_DEFAULTS } from '../compare/compare.js';
import { formatCompareSummary } from '../compare/summary.js';
import { UsageError } from '../errors.js';
import { BUNDLED_GLUE_DIR } from '../paths.js';
import { VARIANT_NAMES, type Constraints, type VariantName } from '../report/types.js';
import { silentProgress, terminalProgress } from '../util/progress.js';
import { integer, nonNegative, subsetRequest } from './options.js';

interface CompareFlags {
  variants: string; task: string; data: string; limit?: number; sample?: number; seed: number; batch: string; seq: string; device: Device;
  threads?: number; warmup: number; time: number; maxSize?: number; maxLatency?: number; minAccuracy?: number; maxDrop?: number;
  reports: string; name?: string; cache: string; quiet?: boolean;
}

export function addCompareCommand(program: Command): void {
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
    .option('--max-drop <points>', 'int8-auto: keep in float what it takes to stay within this many points of fp32 (default 1)', nonNegative('--max-drop'))
    .option('--reports <dir>', 'where report folders go', 'reports')
    .option('--name <name>', 'report folder name (default: the model names joined by -vs-)')
    .option('--cache <dir>', 'cache of converted models, variants and measurements', defaultCacheDir())
    .option('--quiet', 'no progress, only the summary')
    .action(async (models: string[], o: CompareFlags) => {
      const variants = variantList(o.variants);
      const subset = subsetRequest(o);
      const result = await compare({
        models, variants, task: o.task, dataDir: o.data, subset,
        batchSizes: parseSizeList('batchSize', o.batch), sequenceLengths: parseSizeList('sequenceLength', o.seq), device: o.device,
        ...(o.threads !== undefined ? { threads: o.threads } : {}), warmupIterations: o.warmup,
        stop: { minIterations: COMPARE_DEFAULTS.stop.minIterations, minTimeMs: o.time }, constraints: constraints(o),
        reportsDir: o.reports, name: o.name ?? models.map((m) => m.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-vs-'), cacheDir: o.cache,
        progress: o.quiet ? silentProgress : terminalProgress(),
      });
      process.stdout.write(`${formatCompareSummary(result)}\n`);
    });
}

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
