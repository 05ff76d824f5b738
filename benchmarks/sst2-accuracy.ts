import fs from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import ort from 'onnxruntime-node';
import { convert } from '../src/convert/convert.js';
import { MODEL_PATH } from '../src/model-folder/layout.js';
import { quantizeFile } from '../src/quantize/quantize.js';
import type { QuantizeOptions } from '../src/quantize/options.js';
import { BUNDLED_GLUE_DIR } from '../src/paths.js';

/**
 * SST-2 dev accuracy of a bundled model, fp32 against its quantized variants. The GLUE tokenizers
 * are not on this branch yet, so this benchmark tokenizes with transformers.js (local files only).
 */
const REPO_ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const DEV = path.join(BUNDLED_GLUE_DIR, 'SST-2', 'dev.tsv');

const VARIANTS: ReadonlyArray<{ id: string; options: Partial<QuantizeOptions> }> = [
  { id: 'int8 dynamic', options: {} },
  { id: 'int8 dynamic + embeddings', options: { embeddings: true } },
  { id: 'int8 dynamic, per-channel', options: { perChannel: true, embeddings: true } },
  { id: 'int4 (block 32)', options: { bits: 4, embeddings: true } },
];

async function predict(file: string, encoded: ReadonlyArray<{ ids: BigInt64Array; types: BigInt64Array }>): Promise<number[]> {
  const session = await ort.InferenceSession.create(file);
  const preds: number[] = [];
  for (const e of encoded) {
    const dims = [1, e.ids.length];
    const out = await session.run({
      input_ids: new ort.Tensor('int64', e.ids, dims),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(e.ids.length).fill(1n), dims),
      token_type_ids: new ort.Tensor('int64', e.types, dims),
    });
    const logits = out['logits']?.data as Float32Array;
    preds.push((logits[1] as number) > (logits[0] as number) ? 1 : 0);
  }
  await session.release();
  return preds;
}

export async function sst2Accuracy(name: string, outDir: string): Promise<string[]> {
  const src = path.join(REPO_ROOT, 'models', name);
  await convert({ source: { kind: 'checkpoint', dir: src }, outDir });
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(outDir);
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(outDir));
  const rows = fs.readFileSync(DEV, 'utf8').split('\n').slice(1).filter((l) => l.length > 0).map((l) => l.split('\t'));
  const labels = rows.map((r) => Number(r[1]));
  const encoded = [];
  for (const r of rows) {
    const t = await tokenizer(r[0] ?? '', { truncation: true, max_length: 128 });
    encoded.push({ ids: BigInt64Array.from((t.input_ids as { data: BigInt64Array }).data), types: BigInt64Array.from((t.token_type_ids as { data: BigInt64Array }).data) });
  }
  const accuracy = (p: number[]) => p.filter((v, i) => v === labels[i]).length / labels.length;
  const fp32 = await predict(path.join(outDir, MODEL_PATH), encoded);
  const lines = [`${name}: fp32 ${accuracy(fp32).toFixed(4)} (${labels.length} sentences)`];
  for (const v of VARIANTS) {
    const out = path.join(outDir, 'onnx', `${v.id.replace(/\W+/g, '_')}.onnx`);
    const r = quantizeFile({ input: outDir, output: out, options: v.options });
    const p = await predict(out, encoded);
    const agree = p.filter((x, i) => x === fp32[i]).length / p.length;
    lines.push(`${name}: ${v.id.padEnd(28)} ${accuracy(p).toFixed(4)} = ${((100 * accuracy(p)) / accuracy(fp32)).toFixed(1)}% of fp32, agreement ${(100 * agree).toFixed(1)}%, ${(r.output.bytes / 1e6).toFixed(2)} MB`);
  }
  return lines;
}
