import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { convert } from '../src/convert/convert.js';
import { MODEL_PATH } from '../src/model-folder/layout.js';
import { readModelProto } from '../src/onnx/serde.js';
import { optimizeFile } from '../src/optimize/optimize.js';
import { quantizeFile } from '../src/quantize/quantize.js';
import { modelBytes } from '../src/model-folder/resolve-model-file.js';

/**
 * bench:optimize — the converter's fp32 graph against `albench optimize`'s (one Attention per
 * layer) for bert-base-uncased and albert-base-v2 with random weights, and dynamic int8 made from
 * each (the optimized one with QAttention): p50/p99 latency at b1 and b8 x 128 tokens, 2 intra-op
 * threads, runs interleaved so a noisy neighbour slows every variant alike; and the operators
 * onnxruntime ran after its own load-time fusions. Prints; asserts nothing.
 */
const RUNS = Number(process.env['RUNS'] ?? 40);
const WARMUP = 3;
const THREADS = 2;
const SEQ = 128;
const BATCHES = [1, 8] as const;
const MODELS = (process.env['MODELS'] ?? 'bert-base-uncased,albert-base-v2').split(',');
/** As bench:quantize's int8 variant: every weight int8, embeddings included. */
const INT8 = { embeddings: true, float16Vectors: true } as const;

const quantile = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function feeds(batch: number): Record<string, ort.Tensor> {
  const n = batch * SEQ;
  const ids = BigInt64Array.from({ length: n }, (_, i) => BigInt(1000 + ((i * 7919) % 20000)));
  return {
    input_ids: new ort.Tensor('int64', ids, [batch, SEQ]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [batch, SEQ]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [batch, SEQ]),
  };
}

/** The graph onnxruntime runs after its load-time fusions, as op -> count, for ops not in the file itself. */
async function runtimeFusions(file: string, dir: string): Promise<string> {
  const optimized = path.join(dir, `${path.basename(file, '.onnx')}.ort.onnx`);
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'extended', optimizedModelFilePath: optimized });
  await session.release();
  const ops = new Map<string, number>();
  for (const n of readModelProto(optimized).graph?.node ?? []) ops.set(n.opType ?? '', (ops.get(n.opType ?? '') ?? 0) + 1);
  return [...ops].map(([op, n]) => `${op} ${n}`).join(', ');
}

async function timeInterleaved(files: Record<string, string>, batch: number): Promise<Map<string, number[]>> {
  const input = feeds(batch);
  const sessions = await Promise.all(Object.entries(files).map(async ([id, file]) => ({
    id, session: await ort.InferenceSession.create(file, { intraOpNumThreads: THREADS, interOpNumThreads: 1 }), times: [] as number[],
  })));
  for (const s of sessions) for (let i = 0; i < WARMUP; i++) await s.session.run(input);
  const runs = batch === 1 ? RUNS : Math.max(5, Math.round(RUNS / 2));
  for (let r = 0; r < runs; r++) {
    // Alternate which variant goes first, so neither always follows the other's cache state.
    const order = r % 2 === 0 ? sessions : [...sessions].reverse();
    for (const s of order) {
      const t0 = performance.now();
      await s.session.run(input);
      s.times.push(performance.now() - t0);
    }
  }
  for (const s of sessions) await s.session.release();
  return new Map(sessions.map((s) => [s.id, s.times]));
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
    for (const [id, file] of Object.entries(files)) console.log(`  ${id.padEnd(10)} ${(modelBytes(file) / 1e6).toFixed(1).padStart(6)} MB; onnxruntime runs: ${await runtimeFusions(file, dir)}`);
    for (const batch of BATCHES) {
      const times = await timeInterleaved(files, batch);
      const plain = quantile(times.get('plain') ?? [], 0.5);
      for (const [id, t] of times) {
        const p50 = quantile(t, 0.5);
        console.log(`  b${batch} s${SEQ} ${id.padEnd(10)} p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${quantile(t, 0.99).toFixed(1).padStart(6)} ms  (${t.length} runs, ${(plain / p50).toFixed(2)}x vs plain)`);
      }
    }
  }
  console.log(`\nload average at end ${load()}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
