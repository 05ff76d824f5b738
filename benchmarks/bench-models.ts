import { bench } from '../src/bench/bench.js';
import { formatBenchReport } from '../src/bench/format.js';
import { consoleProgress } from '../src/util/progress.js';

/**
 * npm run bench — bert-base-uncased and albert-base-v2 (random weights, base head: the encoder
 * and pooler, as AutoModel exports them) at batch 1 and 8, sequence 128, in fp32 on the CPU.
 * Prints p50/p99, peak memory and FLOPs beside the Python stack's figures from issue 5. Asserts
 * nothing: figures, not tests.
 */
const CONFIGS = ['bert-base-uncased', 'albert-base-v2'] as const;
const BATCH_SIZES = [1, 8];
const SEQUENCE_LENGTH = 128;

/**
 * Issue 5, measured on this 2-core machine: torch.onnx.export, then onnxruntime's transformers
 * optimizer, run in onnxruntime-node 1.30 with 2 threads; p50 in ms, peak RSS in MB (ALBERT's is
 * the fused graph's).
 */
const PYTHON_STACK: Readonly<Record<(typeof CONFIGS)[number], { p50Ms: Record<number, number>; peakRssMB: number }>> = {
  'bert-base-uncased': { p50Ms: { 1: 86.6, 8: 562 }, peakRssMB: 618 },
  'albert-base-v2': { p50Ms: { 1: 79.3, 8: 609 }, peakRssMB: 287 },
};

const report = await bench({
  models: CONFIGS.map((configName) => ({ kind: 'random', configName, seed: 0, task: 'base' }) as const),
  batchSizes: BATCH_SIZES,
  sequenceLengths: [SEQUENCE_LENGTH],
  warmupIterations: 3,
  stop: { minIterations: 10, minTimeMs: 10_000 },
  progress: consoleProgress(),
});

console.log(formatBenchReport(report));
console.log('');
const header = ['model', 'batch', 'p50 ms', 'p99 ms', 'peak RSS MB', 'GFLOP', 'GFLOP/s', 'Python p50 ms', 'p50 / Python', 'Python peak RSS MB'];
const rows: string[][] = [];
for (const m of report.models) {
  const ref = PYTHON_STACK[m.label as (typeof CONFIGS)[number]];
  for (const p of m.points) {
    if (p.state === 'failed') {
      rows.push([m.label, String(p.batchSize), `failed: ${p.error.message}`]);
      continue;
    }
    const refP50 = ref.p50Ms[p.batchSize] ?? Number.NaN;
    rows.push([
      m.label, String(p.batchSize), p.latency.p50Ms.toFixed(1), p.latency.p99Ms.toFixed(1), (p.memory.peakRssAfterRunsBytes / 1e6).toFixed(0),
      ((p.flops?.total ?? 0) / 1e9).toFixed(2), (p.achievedGflopPerSecondAtP50 ?? 0).toFixed(0), String(refP50), (p.latency.p50Ms / refP50).toFixed(2), String(ref.peakRssMB),
    ]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(`at sequence length ${SEQUENCE_LENGTH}, against the Python stack's figures in issue 5 (same machine, 2 threads):`);
for (const r of [header, ...rows]) console.log(line(r));
