import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadTokenizer } from '../../src/tokenizers/load.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { TOKENIZER_FILES } from '../helpers/paths.js';
import { casesDifferingFromSlow, folderWithOnly, readGoldenCases, testEveryGlueRow } from './golden-cases.js';

const cases = readGoldenCases('albert-base-v2');
const tokenizer = loadTokenizer(path.join(BUNDLED_MODELS_DIR, 'albert-sst2-mini'));

testEveryGlueRow('ALBERT', tokenizer, cases);

test('ALBERT: every edge case matches slow', () => {
  // Covers user symbols inside SentencePiece, digit-comma re-splitting, <UNK> lowercased into a
  // special token, marks kept by combining class 0 (VS16, keycap), Python-only whitespace.
  assert.deepEqual(casesDifferingFromSlow(tokenizer, cases.filter((c) => c.group === 'edge')), []);
});

// The golden ids were made from albert-base-v2's published spiece.model (test/fixtures/data/tokenizers);
// the bundled model ships that same file, so the ids above hold it to the reference. Running the two
// byte-identical files side by side would compare a file with itself.
test('ALBERT: the bundled spiece.model is the published albert-base-v2 one the golden ids come from', () => {
  const bundled = fs.readFileSync(path.join(BUNDLED_MODELS_DIR, 'albert-sst2-mini', 'spiece.model'));
  assert.ok(bundled.equals(fs.readFileSync(path.join(TOKENIZER_FILES, 'albert-base-v2', 'spiece.model'))));
});

// The converted tokenizer.json alone: its Unigram scores and Precompiled charsmap, run with the slow
// semantics (the fast pipeline it describes differs from slow on 335 of these cases).
const jsonOnly = folderWithOnly(path.join(TOKENIZER_FILES, 'albert-base-v2'), ['tokenizer.json']);
after(jsonOnly.remove);

test('ALBERT: from tokenizer.json alone (no spiece.model) every case still matches slow', () => {
  assert.deepEqual(casesDifferingFromSlow(loadTokenizer(jsonOnly.dir), cases), []);
});
