import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, UnsupportedError } from '../../src/errors.js';
import { loadTokenizer } from '../../src/tokenizers/load.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-load-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A folder under the scratch directory holding the given files (name -> content). */
function folderWith(name: string, files: Readonly<Record<string, string | Uint8Array>>): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  return dir;
}

test('the bundled BERT folder gives a WordPiece tokenizer with bert-base-uncased ids', () => {
  const tokenizer = loadTokenizer(path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini'));
  assert.equal(tokenizer.family, 'wordpiece');
  assert.deepEqual(tokenizer.specialIds, { cls: 101, sep: 102, pad: 0, unk: 100 });
  assert.equal(tokenizer.modelMaxLength, 512);
  assert.deepEqual(tokenizer.textToIds("It's a Charming journey."), [2009, 1005, 1055, 1037, 11951, 4990, 1012]);
});

test('the bundled ALBERT folder gives a SentencePiece tokenizer with albert-base-v2 ids', () => {
  const tokenizer = loadTokenizer(path.join(BUNDLED_MODELS_DIR, 'albert-sst2-mini'));
  assert.equal(tokenizer.family, 'sentencepiece');
  assert.deepEqual(tokenizer.specialIds, { cls: 2, sep: 3, pad: 0, unk: 1 });
  assert.equal(tokenizer.modelMaxLength, 512);
  // ▁it ▁ ' s ▁a ▁charming ▁journey ▁ .
  assert.deepEqual(tokenizer.textToIds("It 's a Charming journey . "), [32, 13, 22, 18, 21, 13275, 2998, 13, 9]);
});

test('a folder without tokenizer files is a ConfigError naming the folder and the files expected', () => {
  const dir = folderWith('empty', { 'README.md': 'nothing here' });
  assert.throws(
    () => loadTokenizer(dir),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.code === 'BAD_CONFIG' &&
      error.file === dir &&
      /vocab\.txt/.test(error.message) &&
      /spiece\.model/.test(error.message) &&
      /tokenizer\.json/.test(error.message),
  );
});

test('a BERT or ALBERT config without its tokenizer file says which files it needs', () => {
  const bert = folderWith('bert-config-only', { 'config.json': '{"model_type": "bert"}' });
  assert.throws(() => loadTokenizer(bert), (e: unknown) => e instanceof ConfigError && /expected vocab\.txt or a WordPiece tokenizer\.json/.test(e.message));
  const albert = folderWith('albert-config-only', { 'config.json': '{"model_type": "albert"}' });
  assert.throws(() => loadTokenizer(albert), (e: unknown) => e instanceof ConfigError && /expected spiece\.model or a Unigram tokenizer\.json/.test(e.message));
});

test('a missing folder, a broken spiece.model and broken JSON are ConfigErrors naming the path', () => {
  const missing = path.join(scratch, 'no-such-folder');
  assert.throws(() => loadTokenizer(missing), (e: unknown) => e instanceof ConfigError && e.file === missing);
  const broken = folderWith('broken-model', { 'spiece.model': Uint8Array.of(0x0a, 0x20, 0x01) });
  assert.throws(
    () => loadTokenizer(broken),
    (e: unknown) => e instanceof ConfigError && e.file === path.join(broken, 'spiece.model') && /not a valid SentencePiece model/.test(e.message),
  );
  const badJson = folderWith('bad-json', { 'tokenizer_config.json': '{"do_lower_case": tru', 'vocab.txt': '[UNK]\n' });
  assert.throws(() => loadTokenizer(badJson), (e: unknown) => e instanceof ConfigError && e.file === path.join(badJson, 'tokenizer_config.json'));
});

test('other model types and tokenizer classes are refused as unsupported', () => {
  const roberta = folderWith('roberta', { 'config.json': '{"model_type": "roberta"}', 'vocab.txt': '[UNK]\n' });
  assert.throws(() => loadTokenizer(roberta), UnsupportedError);
  const t5 = folderWith('t5', { 'tokenizer_config.json': '{"tokenizer_class": "T5Tokenizer"}' });
  assert.throws(() => loadTokenizer(t5), UnsupportedError);
});

test('a special token missing from the vocabulary is a ConfigError', () => {
  const dir = folderWith('no-cls', { 'vocab.txt': ['[PAD]', '[UNK]', '[SEP]', '[MASK]', 'hello'].join('\n') });
  assert.throws(() => loadTokenizer(dir), (e: unknown) => e instanceof ConfigError && /\[CLS\] is not in the vocabulary/.test(e.message));
});

test('tokenizer_config.json settings are honoured: a cased vocabulary keeps case and accents', () => {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'Café', 'café', 'cafe', '!'];
  const cased = folderWith('cased', { 'vocab.txt': vocab.join('\n'), 'tokenizer_config.json': '{"do_lower_case": false}' });
  assert.deepEqual(loadTokenizer(cased).textToIds('Café!'), [5, 8]);
  const uncased = folderWith('uncased', { 'vocab.txt': vocab.join('\n') });
  assert.deepEqual(loadTokenizer(uncased).textToIds('Café!'), [7, 8]);
});
