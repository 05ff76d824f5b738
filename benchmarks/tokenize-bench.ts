/**
 * Tokenizer throughput on one core: SST-2 dev sentences per second through encode() (special
 * tokens, truncation at 128), for the bundled BERT (WordPiece) and ALBERT (SentencePiece) folders.
 *
 *   npm run bench:tokenize
 *
 * Reads the bundled data and models, so it runs on a fresh clone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Tokenizer } from '../src/tokenizers/encode.js';
import { loadTokenizer } from '../src/tokenizers/load.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../src/paths.js';

const MIN_SECONDS = 2;

const devFile = path.join(BUNDLED_GLUE_DIR, 'SST-2', 'dev.tsv');
// dev.tsv: a header line, then `sentence<TAB>label`.
const sentences = fs
  .readFileSync(devFile, 'utf8')
  .split('\n')
  .slice(1)
  .filter((line) => line.length > 0)
  .map((line) => line.slice(0, line.indexOf('\t')));

function sentencesPerSecond(tokenizer: Tokenizer): { rate: number; tokens: number } {
  let tokens = 0;
  for (const s of sentences) tokens += tokenizer.encode(s, undefined, { maxLength: 128 }).inputIds.length;
  let done = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS) {
    for (const s of sentences) tokenizer.encode(s, undefined, { maxLength: 128 });
    done += sentences.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { rate: done / elapsed, tokens };
}

console.log(`${sentences.length} sentences from ${devFile}, encode() with maxLength 128, one thread, node ${process.version}`);
for (const [name, folder] of [
  ['WordPiece (bert-sst2-mini)', 'bert-sst2-mini'],
  ['SentencePiece (albert-sst2-mini)', 'albert-sst2-mini'],
] as const) {
  const loadStart = process.hrtime.bigint();
  const tokenizer = loadTokenizer(path.join(BUNDLED_MODELS_DIR, folder));
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const { rate, tokens } = sentencesPerSecond(tokenizer);
  console.log(`${name}: ${Math.round(rate).toLocaleString('en-US')} sentences/s, ${(tokens / sentences.length).toFixed(1)} tokens/sentence, loaded in ${loadMs.toFixed(0)} ms`);
}
