import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { knownConfig } from '../src/arch/known.js';
import { MODEL_SPECS } from '../src/arch/registry.js';
import { compare, COMPARE_DEFAULTS } from '../src/compare/compare.js';
import { randomStateDict } from '../src/convert/random-weights.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../src/paths.js';
import type { SubsetSetting } from '../src/report/model/types.js';

/**
 * bench:compare-full — the main job at real sizes: bert-base-uncased and albert-base-v2 shaped
 * checkpoints (seeded random weights, a 2-label classification head, safetensors, config and the
 * real tokenizer files of the bundled models, which share those vocabularies) compared cold, with
 * a fresh cache. Prints the wall time of each step, each variant's size and p50, and peak memory.
 * Random weights make accuracy meaningless; the agreement with fp32 still shows what int8 changes.
 * Usage: npm run bench:compare-full [-- --limit N]  (default: the whole SST-2 dev set, as compare).
 */
const CHECKPOINTS = [
  { name: 'bert-base', config: 'bert-base-uncased', arch: 'bert', tokenizer: 'bert-sst2-mini', seed: 1 },
  { name: 'albert-base', config: 'albert-base-v2', arch: 'albert', tokenizer: 'albert-sst2-mini', seed: 2 },
] as const;

function writeSafetensors(file: string, tensors: ReadonlyMap<string, { readonly shape: readonly number[]; bytes(): Uint8Array }>): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const fd = fs.openSync(file, 'w');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  fs.writeSync(fd, prefix);
  fs.writeSync(fd, Buffer.from(text));
  for (const t of tensors.values()) fs.writeSync(fd, t.bytes());
  fs.closeSync(fd);
}

function writeCheckpoint(dir: string, c: (typeof CHECKPOINTS)[number]): void {
  fs.mkdirSync(dir, { recursive: true });
  const { config, json } = knownConfig(c.config);
  const sd = randomStateDict(config, MODEL_SPECS[c.arch].layout(config), 'sequence-classification', c.seed);
  writeSafetensors(path.join(dir, 'model.safetensors'), sd.tensors);
  const architectures = [c.arch === 'bert' ? 'BertForSequenceClassification' : 'AlbertForSequenceClassification'];
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...json, architectures }));
  const tokenizer = path.join(BUNDLED_MODELS_DIR, c.tokenizer);
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'spiece.model']) {
    if (fs.existsSync(path.join(tokenizer, f))) fs.copyFileSync(path.join(tokenizer, f), path.join(dir, f));
  }
}

function subsetFromArgs(argv: readonly string[]): SubsetSetting {
  const i = argv.indexOf('--limit');
  const limit = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isInteger(limit) && limit > 0 ? { kind: 'limit', limit } : { kind: 'all' };
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-compare-full-'));
try {
  const t0 = performance.now();
  const dirs = CHECKPOINTS.map((c) => path.join(work, c.name));
  CHECKPOINTS.forEach((c, i) => writeCheckpoint(dirs[i] as string, c));
  console.log(`wrote ${CHECKPOINTS.map((c) => c.name).join(' and ')} checkpoints in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const subset = subsetFromArgs(process.argv.slice(2));
  const r = await compare({
    models: dirs, variants: COMPARE_DEFAULTS.variants, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset,
    batchSizes: COMPARE_DEFAULTS.batchSizes, sequenceLengths: COMPARE_DEFAULTS.sequenceLengths, device: 'cpu',
    warmupIterations: COMPARE_DEFAULTS.warmupIterations, stop: COMPARE_DEFAULTS.stop, constraints: {},
    reportsDir: path.join(work, 'reports'), name: 'full', cacheDir: path.join(work, 'cache'),
  });
  console.log(`\ncompare, cold (fresh cache), ${subset.kind === 'all' ? 'the whole SST-2 dev set' : `the first ${subset.kind === 'limit' ? subset.limit : ''} dev examples`}:`);
  for (const s of r.steps) console.log(`  ${s.seconds.toFixed(1).padStart(7)} s  ${s.step}`);
  console.log(`  ${r.seconds.toFixed(1).padStart(7)} s  total`);
  console.log('\nvariants:');
  for (const v of r.report.variants) {
    if (v.state === 'failed') {
      console.log(`  ${v.id.padEnd(28)} FAILED ${v.error.message}`);
      continue;
    }
    const agree = v.metrics[0]?.agreementWithFp32;
    const p50 = v.latency[0]?.p50Ms;
    const figures = `p50 b1 s128 ${p50?.toFixed(1)} ms, agreement with fp32 ${agree === undefined ? '-' : (agree * 100).toFixed(1)}%`;
    console.log(`  ${v.id.padEnd(28)} ${mb(v.sizeBytes).padStart(9)}  ${figures}, timing child peak RSS ${mb(v.memory.peakRssAfterRunsBytes)}`);
  }
  console.log(`\npeak RSS of this process (convert, variants, eval): ${mb(process.resourceUsage().maxRSS * 1024)}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
