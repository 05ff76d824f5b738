import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { knownConfig } from '../src/arch/known.js';
import { MODEL_SPECS } from '../src/arch/registry.js';
import { randomStateDict } from '../src/convert/random-weights.js';

/**
 * bench:convert — converts a bert-base-size safetensors checkpoint (random weights) and compares
 * the time with copying the same file, and the peak RSS with the file size. Each conversion runs
 * in its own process so its peak RSS is its own. Prints figures; asserts nothing.
 */
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function writeCheckpoint(dir: string): string {
  const { config, json } = knownConfig('bert-base-uncased');
  const sd = randomStateDict(config, MODEL_SPECS.bert.layout(config), 'sequence-classification', 1);
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of sd.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const file = path.join(dir, 'model.safetensors');
  const fd = fs.openSync(file, 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  fs.writeSync(fd, prefix);
  fs.writeSync(fd, Buffer.from(text));
  for (const t of sd.tensors.values()) fs.writeSync(fd, t.bytes());
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...json, architectures: ['BertForSequenceClassification'] }));
  return file;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-convert-'));
try {
  const ckpt = path.join(work, 'ckpt');
  fs.mkdirSync(ckpt);
  process.stderr.write('writing a bert-base-size checkpoint with random weights...\n');
  const file = writeCheckpoint(ckpt);
  const size = fs.statSync(file).size;

  const copies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const target = path.join(work, `copy-${i}.safetensors`);
    const t0 = performance.now();
    fs.copyFileSync(file, target);
    copies.push((performance.now() - t0) / 1000);
    fs.rmSync(target);
  }

  // A copy through user space (4 MiB chunks, one reused buffer): the floor for any tool that must
  // look at the bytes, while copyFileSync lets the kernel move pages without that.
  const streamedCopies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const target = path.join(work, `stream-${i}.safetensors`);
    const t0 = performance.now();
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    const from = fs.openSync(file, 'r');
    const to = fs.openSync(target, 'w');
    for (let n = fs.readSync(from, buf); n > 0; n = fs.readSync(from, buf)) fs.writeSync(to, buf, 0, n);
    fs.closeSync(from);
    fs.closeSync(to);
    streamedCopies.push((performance.now() - t0) / 1000);
    fs.rmSync(target);
  }

  const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'convert-child.js');
  const runConvert = (validate: boolean) => {
    const out = path.join(work, 'out');
    const r = JSON.parse(execFileSync(process.execPath, [child, ckpt, out, validate ? 'validate' : ''], { encoding: 'utf8' })) as { seconds: number; peakRssBytes: number; maxAbsDiff: number | null };
    fs.rmSync(out, { recursive: true, force: true });
    return r;
  };
  const converts = Array.from({ length: RUNS }, () => runConvert(false));
  const validated = runConvert(true);

  const copy = median(copies);
  const conv = median(converts.map((c) => c.seconds));
  const rss = Math.max(...converts.map((c) => c.peakRssBytes));
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  console.log(`checkpoint: bert-base-uncased size, random weights, ${mb(size)} (model.safetensors)`);
  console.log(`copy (fs.copyFileSync), median of ${RUNS}:        ${copy.toFixed(3)} s  [${copies.map((c) => c.toFixed(3)).join(', ')}]`);
  const streamed = median(streamedCopies);
  console.log(`copy through user space (4 MiB chunks):      ${streamed.toFixed(3)} s  [${streamedCopies.map((c) => c.toFixed(3)).join(', ')}]`);
  console.log(`convert --no-validate, median of ${RUNS}:         ${conv.toFixed(3)} s  [${converts.map((c) => c.seconds.toFixed(3)).join(', ')}]  (in-process time, excludes Node start-up)`);
  console.log(`convert / copy:                               ${(conv / copy).toFixed(2)}x vs copyFileSync, ${(conv / streamed).toFixed(2)}x vs the user-space copy  (goal <= 2x)`);
  console.log(`highest peak RSS of the ${RUNS} --no-validate runs: ${mb(rss)} = ${(rss / size).toFixed(2)}x the file (goal <= 1.5x)`);
  console.log(`convert with validation (default):            ${validated.seconds.toFixed(3)} s, peak RSS ${mb(validated.peakRssBytes)} = ${(validated.peakRssBytes / size).toFixed(2)}x, max |diff| ${validated.maxAbsDiff?.toExponential(2)}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
