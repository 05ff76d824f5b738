import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadTokenizer } from '../../src/tokenizers/load.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { TOKENIZER_FILES } from '../helpers/paths.js';
import { casesDifferingFromSlow, folderWithOnly, readGoldenCases, testEveryGlueRow } from './golden-cases.js';

const cases = readGoldenCases('bert-base-uncased');
const tokenizer = loadTokenizer(path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini'));

testEveryGlueRow('BERT', tokenizer, cases);

test('BERT: every edge case matches slow, Unicode 14 behaviour included', () => {
  // private-unassigned and new-emoji depend on Python's Unicode 14 tables (slow deletes U+0378 and
  // U+1FAE8, fast keeps them as [UNK]); the pinned tables reproduce slow.
  assert.deepEqual(casesDifferingFromSlow(tokenizer, cases.filter((c) => c.group === 'edge')), []);
});

const jsonOnly = folderWithOnly(path.join(TOKENIZER_FILES, 'bert-base-uncased'), ['tokenizer.json']);
after(jsonOnly.remove);

test('BERT: from tokenizer.json alone (no vocab.txt) every case still matches slow', () => {
  assert.deepEqual(casesDifferingFromSlow(loadTokenizer(jsonOnly.dir), cases), []);
});
