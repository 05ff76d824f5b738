import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assembleEncoding, encodeBatch, type Encoding } from '../../src/tokenizers/encode.js';
import { loadTokenizer } from '../../src/tokenizers/load.js';
import { truncatePair } from '../../src/tokenizers/truncate.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';

const SPECIALS = { cls: 101, sep: 102, pad: 0, unk: 100 };
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
const plain = (e: Encoding): { ids: number[]; types: number[]; mask: number[] } => ({
  ids: Array.from(e.inputIds),
  types: Array.from(e.tokenTypeIds),
  mask: Array.from(e.attentionMask),
});

test('a pair is [CLS] A [SEP] B [SEP], type 1 from B through the last [SEP]', () => {
  assert.deepEqual(plain(assembleEncoding([7, 8], [9], SPECIALS, 512)), {
    ids: [101, 7, 8, 102, 9, 102],
    types: [0, 0, 0, 0, 1, 1],
    mask: [1, 1, 1, 1, 1, 1],
  });
  assert.deepEqual(plain(assembleEncoding([7], [], SPECIALS, 512)).ids, [101, 7, 102, 102]);
});

test('longest_first gives the odd leftover to the first text, as the slow tokenizers do', () => {
  // 100 + 100 tokens into 125: the first keeps 63, the second 62.
  const equal = truncatePair(range(0, 100), range(1000, 100), 75, 'longest_first');
  assert.deepEqual([equal.first.length, equal.second?.length], [63, 62]);
  // 90 + 100 into 125: the second loses 10 to even them up, then the other 55 go 27 / 28.
  const secondLonger = truncatePair(range(0, 90), range(1000, 100), 65, 'longest_first');
  assert.deepEqual([secondLonger.first.length, secondLonger.second?.length], [63, 62]);
  const firstLonger = truncatePair(range(0, 100), range(1000, 90), 65, 'longest_first');
  assert.deepEqual([firstLonger.first.length, firstLonger.second?.length], [63, 62]);
  assert.deepEqual(firstLonger.first, range(0, 63));
});

test('only_first / only_second cut one side; when that side is too short nothing is cut', () => {
  assert.deepEqual(truncatePair(range(0, 10), range(100, 10), 4, 'only_second'), { first: range(0, 10), second: range(100, 6) });
  assert.deepEqual(truncatePair(range(0, 10), range(100, 10), 4, 'only_first'), { first: range(0, 6), second: range(100, 10) });
  assert.deepEqual(truncatePair(range(0, 3), range(100, 10), 4, 'only_first'), { first: range(0, 3), second: range(100, 10) });
  assert.deepEqual(truncatePair(range(0, 3), null, 3, 'longest_first'), { first: range(0, 3), second: null });
});

test('maxLength counts the special tokens; padding fills with the pad id, type 0, mask 0', () => {
  const cut = assembleEncoding(range(1, 10), null, SPECIALS, 512, { maxLength: 6 });
  assert.deepEqual(Array.from(cut.inputIds), [101, 1, 2, 3, 4, 102]);
  const padded = assembleEncoding([5], [6], SPECIALS, 512, { maxLength: 8, padToMaxLength: true });
  assert.deepEqual(plain(padded), {
    ids: [101, 5, 102, 6, 102, 0, 0, 0],
    types: [0, 0, 0, 1, 1, 0, 0, 0],
    mask: [1, 1, 1, 1, 1, 0, 0, 0],
  });
  assert.equal(assembleEncoding(range(1, 600), null, SPECIALS, 512).inputIds.length, 512);
  assert.equal(assembleEncoding(range(1, 600), null, SPECIALS, 512, { truncation: false }).inputIds.length, 602);
});

test('encodeBatch pads every row to the longest with int64 tensors of shape [batch, sequence]', () => {
  const tokenizer = loadTokenizer(path.join(BUNDLED_MODELS_DIR, 'albert-sst2-mini'));
  const batch = encodeBatch(tokenizer, ['hello world', ['is it?', 'yes it is']]);
  const first = tokenizer.encode('hello world');
  const second = tokenizer.encode('is it?', 'yes it is');
  const width = second.inputIds.length;
  assert.deepEqual(batch.dims, [2, width]);
  assert.ok(first.inputIds.length < width);
  const row = (tensor: BigInt64Array, r: number): number[] => Array.from(tensor.subarray(r * width, (r + 1) * width), Number);
  const padding = width - first.inputIds.length;
  assert.deepEqual(row(batch.inputIds, 0), [...first.inputIds, ...Array<number>(padding).fill(tokenizer.specialIds.pad)]);
  assert.deepEqual(row(batch.attentionMask, 0), [...first.attentionMask, ...Array<number>(padding).fill(0)]);
  assert.deepEqual(row(batch.inputIds, 1), Array.from(second.inputIds));
  assert.deepEqual(row(batch.tokenTypeIds, 1), Array.from(second.tokenTypeIds));
  assert.deepEqual(encodeBatch(tokenizer, []).dims, [0, 0]);
});
