import { parseSizeList } from '../bench/grid.js';
import { COMPARE_DEFAULTS } from '../compare/compare.js';
import { readSuiteFile, suiteFromFlags } from '../compare/suite/parse-suite.js';
import { runSuite } from '../compare/suite/run-suite.js';
import { formatSuiteSummary } from '../compare/suite/suite-summary.js';
import { UsageError } from '../errors.js';
import type { Constraints, SubsetSetting, VariantName } from '../report/types.js';
import { consoleProgress, silentProgress } from '../util/progress.js';
import type { CompareFlags } from './compare.js';
import { deviceOptions } from './options.js';

export interface SuiteFlagValues {
  readonly variants: readonly VariantName[];
  /** --variants was typed: it overrides the suite file's. */
  readonly variantsGiven: boolean;
  readonly subset: SubsetSetting;
  readonly constraints: Constraints;
  readonly cacheDir: string;
}

/** compare's suite path: --suite <file>, or --task a,b --family name=<a ckpt>,<b ckpt> (repeated). */
export async function compareSuite(models: readonly string[], o: CompareFlags, values: SuiteFlagValues): Promise<void> {
  if (models.length > 0) throw new UsageError(`compare --suite/--family: the models come from the suite; drop ${models.join(' ')}`);
  if (o.suite !== undefined && o.family.length > 0) throw new UsageError('compare: give --suite <file> or --family, not both');
  if (o.suite !== undefined && (o.limit !== undefined || o.sample !== undefined)) {
    throw new UsageError('compare --suite: the suite file sets each task\'s subset; drop --limit/--sample');
  }
  const suite = o.suite !== undefined ? readSuiteFile(o.suite) : suiteFromFlags(o.task, o.family, values.subset);
  const variants = values.variantsGiven ? values.variants : suite.variants ?? values.variants;
  const result = await runSuite({
    suite, variants, name: o.name ?? suite.name ?? 'glue-suite', dataDir: o.data,
    batchSizes: parseSizeList('batchSize', o.batch), sequenceLengths: parseSizeList('sequenceLength', o.seq), ...deviceOptions(o.device),
    ...(o.threads !== undefined ? { threads: o.threads } : {}), warmupIterations: o.warmup,
    stop: { minIterations: COMPARE_DEFAULTS.stop.minIterations, minTimeMs: o.time }, rounds: o.rounds, reuseTimings: o.reuseTimings === true,
    constraints: values.constraints, reportsDir: o.reports, cacheDir: values.cacheDir, reuseCache: o.cache !== false,
    ...(o.fullPaths ? { fullPaths: true } : {}), ...(o.float32Vectors ? { float32Vectors: true } : {}), ...(o.shard ? { shard: o.shard } : {}),
    ...(o.transformersJs ? {} : { checkTransformersJs: false }),
    progress: o.quiet ? silentProgress : consoleProgress(),
  });
  process.stdout.write(`${formatSuiteSummary(result)}\n`);
  if (result.failures > 0) process.exitCode = 1;
}
