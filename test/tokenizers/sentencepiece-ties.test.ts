import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SentencePieceProcessor } from '../../src/tokenizers/sentencepiece.js';
import { parseSentencePieceModel } from '../../src/tokenizers/sentencepiece-model.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';

const modelFile = path.join(BUNDLED_MODELS_DIR, 'albert-sst2-mini', 'spiece.model');
const processor = new SentencePieceProcessor(parseSentencePieceModel(fs.readFileSync(modelFile), modelFile), modelFile);

// Segmentations that tie in exact arithmetic (e+ee against ee+e, n+nn against nn+n), with the ids the
// sentencepiece 0.2.2 wheel gives (the library behind the fixtures' slow column). Which one wins
// depends on float32 rounding of the path so far: double-precision sums get the first four wrong,
// sums compared in double against float32 totals the last six.
const TIES: readonly (readonly [string, readonly number[]])[] = [
  ['  oonn  no nnn oooooo', [13, 5709, 103, 90, 13, 9377, 103, 13, 4328, 28290]],
  ['aae aeeeaeaeee ee a ', [21, 4391, 21, 2851, 62, 17854, 62, 2851, 13, 2851, 21]],
  ['nono n onooo  onooo', [90, 251, 13, 103, 27, 111, 4328, 27, 4328, 111]],
  [' th hht  htetheeee', [13, 96, 13, 10681, 38, 746, 591, 124, 62, 2851]],
  ['eee  e e  e  e ', [13, 62, 2851, 13, 62, 13, 62, 13, 62, 13, 62]],
  ['eee  ee e', [13, 62, 2851, 13, 2851, 13, 62]],
  ['nono  nnn o', [90, 251, 13, 9377, 103, 635]],
  ['xz xx xxxx xzzz', [993, 380, 13, 8962, 993, 13290, 993, 5092, 380]],
];

test('exact ties are broken as the sentencepiece library breaks them', () => {
  for (const [text, ids] of TIES) {
    const out: number[] = [];
    processor.encodeIds(text, out);
    assert.deepEqual(out, ids, JSON.stringify(text));
  }
});

test('runs of unknown characters become one unknown id; pieces keep their normalized text', () => {
  const out: number[] = [];
  processor.encodeIds('a \u{1f468}\u{1f469} b', out);
  assert.deepEqual(out, [21, 13, 1, 334]);
  assert.deepEqual(processor.encodePieces('a \u{1f468}\u{1f469} b'), ['\u2581a', '\u2581', '\u{1f468}\u{1f469}', '\u2581b']);
});
