import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { bench, BENCH_DEFAULTS } from '../src/bench/bench.js';
import { convert } from '../src/convert/convert.js';
import { MODEL_PATH } from '../src/model-folder/layout.js';
import { quantizeFile } from '../src/quantize/quantize.js';
import type { QuantizeOptions } from '../src/quantize/options.js';
import { consoleProgress } from '../src/util/progress.js';
import { sst2Accuracy } from './sst2-accuracy.js';

/**
 * bench:quantize — sizes of the int8 and 4-bit variants of albert-base-v2 and bert-base-uncased
 * (random weights, `--task base`, embeddings and float16 vectors on), p50 latency at batch 1 x 128 tokens of fp32 and int8 timed
 * by `albench bench` (each in its own child process, 2 intra-op threads), and SST-2 dev accuracy of the bundled
 * models. Prints figures; asserts nothing.
 */
const RUNS = Number(process.env['RUNS'] ?? 40);
const THREADS = 2;
const SEQ = 128;

const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;

const VARIANTS: ReadonlyArray<{ id: string; options: Partial<QuantizeOptions> }> = [
  { id: 'int8 qoperator', options: { embeddings: true, float16Vectors: true } },
  { id: 'int8 qdq', options: { embeddings: true, float16Vectors: true, format: 'qdq' } },
  { id: 'int4 (block 32)', options: { bits: 4, embeddings: true, float16Vectors: true } },
];

function cpuFlags(): string {
  const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  const flags = /flags\s*:\s*(.*)/.exec(info)?.[1]?.split(' ') ?? [];
  return `${model}, ${os.cpus().length} cores, ${['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni'].filter((f) => flags.includes(f)).join(' ')}`;
}

/** p50 of each file at b1 x SEQ through `albench bench`: each in its own child process, as the command times it. */
async function latencies(name: string, files: Record<string, string>): Promise<Record<string, number>> {
  const report = await bench({
    models: Object.entries(files).map(([id, file]) => ({ kind: 'path', path: file, label: `${name} ${id}` }) as const),
    batchSizes: [1], sequenceLengths: [SEQ], threads: THREADS, warmupIterations: BENCH_DEFAULTS.warmupIterations,
    stop: { minIterations: RUNS, minTimeMs: 0 }, progress: consoleProgress(),
  });
  return Object.fromEntries(Object.keys(files).map((id, i) => {
    const p = report.models[i]?.points[0];
    return [id, p?.state === 'completed' ? p.latency.p50Ms : Number.NaN];
  }));
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-quantize-'));
try {
  console.log(`CPU: ${cpuFlags()}; onnxruntime-node ${ort.env.versions.common}; b1 s${SEQ}, ${THREADS} threads, `
    + `p50 of at least ${RUNS} runs in a child process per variant`);
  for (const name of ['albert-base-v2', 'bert-base-uncased']) {
    const dir = path.join(work, name);
    await convert({ source: { kind: 'random', configName: name, seed: 0 }, outDir: dir, task: 'base', validate: false });
    const fp32 = path.join(dir, MODEL_PATH);
    const files: Record<string, string> = { fp32 };
    console.log(`\n${name} (random weights, base head): fp32 ${mb(fs.statSync(fp32).size)}`);
    for (const v of VARIANTS) {
      const out = path.join(dir, 'onnx', `${v.id.replace(/\W+/g, '_')}.onnx`);
      const r = quantizeFile({ input: dir, output: out, options: v.options });
      files[v.id] = out;
      console.log(`  ${v.id.padEnd(16)} ${mb(r.output.bytes)} = ${r.output.bytes} bytes  (${r.quantized.length} nodes, ${r.seconds.toFixed(1)} s)`);
    }
    const p50 = await latencies(name, files);
    const base = p50['fp32'] as number;
    for (const [id, ms] of Object.entries(p50)) console.log(`  p50 ${id.padEnd(16)} ${ms.toFixed(1)} ms  (${(base / ms).toFixed(2)}x vs fp32)`);
  }
  console.log('\nSST-2 dev accuracy of the bundled models (tokenized with transformers.js, local files only):');
  for (const name of ['bert-sst2-mini', 'albert-sst2-mini']) {
    for (const line of await sst2Accuracy(name, path.join(work, name))) console.log(`  ${line}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
