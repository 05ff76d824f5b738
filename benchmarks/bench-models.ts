import { bench } from '../src/bench/bench.js';
import { formatBenchReport } from '../src/bench/format.js';
import { consoleProgress } from '../src/util/progress.js';

/**
 * npm run bench — bert-base-uncased and albert-base-v2 (random weights, base head: the encoder
 * and pooler, as AutoModel exports them) at batch 1 and 8, sequence 128, in fp32 on the CPU,
 * through `albench bench` itself (each model and point in its own child process). Prints what
 * bench measured and nothing else; figures measured by other tools are in docs/external-figures.md.
 * Asserts nothing: figures, not tests.
 */
const CONFIGS = ['bert-base-uncased', 'albert-base-v2'] as const;

const report = await bench({
  models: CONFIGS.map((configName) => ({ kind: 'random', configName, seed: 0, task: 'base' }) as const),
  batchSizes: [1, 8],
  sequenceLengths: [128],
  stop: { minIterations: 10, minTimeMs: 10_000 },
  progress: consoleProgress(),
});

console.log(formatBenchReport(report));
