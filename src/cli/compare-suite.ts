import { readSuiteFile, suiteFromFlags } from '../compare/suite/parse-suite.js';
import { runSuite } from '../compare/suite/run-suite.js';
import { formatSuiteSummary } from '../compare/suite/suite-summary.js';
import { UsageError } from '../errors.js';
import type { Constraints, SubsetSetting, VariantName } from '../report/model/types.js';
import type { CompareFlags } from './compare-flags.js';
import { runOptions } from './compare-run-options.js';

interface SuiteFlagValues {
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
    ...runOptions(o, values.constraints, values.cacheDir), suite, variants, name: o.name ?? suite.name ?? 'glue-suite',
  });
  process.stdout.write(`${formatSuiteSummary(result)}\n`);
  if (result.failures > 0) process.exitCode = 1;
}
