import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { bench, BENCH_DEFAULTS } from '../src/bench/bench.js';
import type { BenchReport } from '../src/bench/schema.js';
import { convert } from '../src/convert/convert.js';
import { MODEL_PATH } from '../src/model-folder/layout.js';
import { optimizeFile } from '../src/optimize/optimize.js';
import { quantizeFile } from '../src/quantize/quantize.js';
import { modelBytes } from '../src/model-folder/resolve-model-file.js';
import { consoleProgress } from '../src/util/progress.js';

/**
 * bench:optimize — the converter's fp32 graph against `albench optimize`'s (one Attention per
 * layer) for bert-base-uncased and albert-base-v2 with random weights, and dynamic int8 made from
 * each (the optimized one with QAttention): p50 and maximum latency at b1 and b8 x 128 tokens, 2
 * intra-op threads, timed by `albench bench` (each variant and point in its own child process, the
 * order alternating between points); and the operators onnxruntime ran after its own load-time
 * fusions, as bench reads them back. Prints; asserts nothing.
 */
const RUNS = Number(process.env['RUNS'] ?? 40);
const THREADS = 2;
const SEQ = 128;
const BATCHES = [1, 8] as const;
const MODELS = (process.env['MODELS'] ?? 'bert-base-uncased,albert-base-v2').split(',');
/** As bench:quantize's int8 variant: every weight int8, embeddings included. */
const INT8 = { embeddings: true, float16Vectors: true } as const;

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Every variant of one model through `albench bench`: each variant and point in its own child process, order alternating. */
async function benchVariants(name: string, files: Record<string, string>): Promise<BenchReport> {
  return bench({
    models: Object.entries(files).map(([id, file]) => ({ kind: 'path', path: file, label: `${name} ${id}` }) as const),
    batchSizes: BATCHES, sequenceLengths: [SEQ], threads: THREADS, warmupIterations: BENCH_DEFAULTS.warmupIterations,
    stop: { minIterations: RUNS, minTimeMs: 0 }, progress: consoleProgress(),
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-optimize-'));
try {
  console.log(`onnxruntime-node ${ort.env.versions.common}, ${os.cpus()[0]?.model ?? 'CPU'} x ${os.cpus().length}, ${THREADS} threads, seq ${SEQ}; load average at start ${load()}`);
  for (const name of MODELS) {
    const dir = path.join(work, name);
    await convert({ source: { kind: 'random', configName: name, seed: 0 }, outDir: dir, task: 'sequence-classification', validate: false });
    const record = optimizeFile({ input: dir });
    const int8 = (input: string, id: string) => quantizeFile({ input, output: path.join(dir, 'onnx', `${id}.onnx`), options: INT8 }).output.model;
    const files: Record<string, string> = { plain: path.join(dir, MODEL_PATH), optimized: record.output.model };
    files['plain int8'] = int8(files['plain'] as string, 'plain_int8');
    files['opt int8'] = int8(record.output.model, 'optimized_int8');
    console.log(`\n${name} (random weights, sequence-classification): ${record.input.nodes} -> ${record.output.nodes} nodes, ${Object.entries(record.fused).map(([op, n]) => `${n} ${op}`).join(', ')}, ${record.attention.packedWeights} packed QKV weights`);
    const report = await benchVariants(name, files);
    for (const [i, id] of Object.keys(files).entries()) {
      const m = report.models[i];
      const ops = Object.entries(m?.optimizedGraph?.opCounts ?? {}).map(([op, n]) => `${op} ${n}`).join(', ');
      console.log(`  ${id.padEnd(10)} ${(modelBytes(files[id] as string) / 1e6).toFixed(1).padStart(6)} MB; onnxruntime runs: ${ops}`);
    }
    for (const [pi, batch] of BATCHES.entries()) {
      const plain = report.models[0]?.points[pi];
      for (const [i, id] of Object.keys(files).entries()) {
        const p = report.models[i]?.points[pi];
        if (p?.state !== 'completed') {
          console.log(`  b${batch} s${SEQ} ${id.padEnd(10)} failed: ${p?.state === 'failed' ? p.error.message : 'no result'}`);
          continue;
        }
        const vsPlain = plain?.state === 'completed' ? `, ${(plain.latency.p50Ms / p.latency.p50Ms).toFixed(2)}x vs plain` : '';
        const [p50, max] = [p.latency.p50Ms, p.latency.maxMs].map((ms) => ms.toFixed(1).padStart(6));
        console.log(`  b${batch} s${SEQ} ${id.padEnd(10)} p50 ${p50} ms  max ${max} ms  (${p.latency.samples} runs${vsPlain})`);
      }
    }
  }
  console.log(`\nload average at end ${load()}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
