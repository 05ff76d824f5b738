import { parseSizeList } from '../bench/grid.js';
import { COMPARE_DEFAULTS, type CompareOptions } from '../compare/compare.js';
import type { Constraints } from '../report/model/types.js';
import { consoleProgress, silentProgress } from '../util/progress.js';
import type { CompareFlags } from './compare-flags.js';
import { deploymentRequest } from './deployment-flags.js';
import { deviceOptions } from './options.js';

/** What a compare run and a suite's runs take alike from compare's flags; each adds its models, variants, task and name. */
type RunOptions = Omit<CompareOptions, 'models' | 'variants' | 'task' | 'subset' | 'name'>;

export function runOptions(o: CompareFlags, constraints: Constraints, cacheDir: string, given: (flag: 'bandwidth' | 'p99Bound') => boolean = () => false)
  : RunOptions {
  const deployment = deploymentRequest(o, given);
  return {
    dataDir: o.data, batchSizes: parseSizeList('batchSize', o.batch), sequenceLengths: parseSizeList('sequenceLength', o.seq),
    ...deviceOptions(o.device), ...(o.threads !== undefined ? { threads: o.threads } : {}), warmupIterations: o.warmup,
    stop: o.time === undefined ? COMPARE_DEFAULTS.stop : { minIterations: COMPARE_DEFAULTS.stop.minIterations, minTimeMs: o.time },
    rounds: o.rounds, reuseTimings: o.reuseTimings === true,
    constraints, reportsDir: o.reports, cacheDir, reuseCache: o.cache !== false,
    ...(o.fullPaths ? { fullPaths: true } : {}), ...(o.float32Vectors ? { float32Vectors: true } : {}), ...(o.shard ? { shard: o.shard } : {}),
    ...(o.transformersJs ? {} : { checkTransformersJs: false }), ...(deployment === undefined ? {} : { deployment }),
    progress: o.quiet ? silentProgress : consoleProgress(),
  };
}
