/**
 * The tokenizer goldens in test/fixtures/tokenizers (HF slow and fast encodings of GLUE rows and
 * edge cases), and a comparison of a Tokenizer against their `slow` column.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { EncodeOptions, Tokenizer } from '../../src/tokenizers/encode.js';
import { FIXTURES } from '../helpers/paths.js';

export interface GoldenEncoding {
  input_ids: number[];
  token_type_ids: number[];
  attention_mask: number[];
}

export interface GoldenCase {
  id: string;
  group: string;
  text_a: string;
  text_b: string | null;
  max_length: number | null;
  truncation: 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
  padding: 'do_not_pad' | 'max_length';
  slow: GoldenEncoding;
}

export function readGoldenCases(model: 'bert-base-uncased' | 'albert-base-v2'): GoldenCase[] {
  const file = path.join(FIXTURES, 'tokenizers', `${model}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: GoldenCase[] }).cases;
}

function optionsOf(golden: GoldenCase): EncodeOptions {
  const options: EncodeOptions = {
    truncation: golden.truncation === 'do_not_truncate' ? false : golden.truncation,
    padToMaxLength: golden.padding === 'max_length',
  };
  if (golden.max_length !== null) options.maxLength = golden.max_length;
  return options;
}

/** What the tokenizer gives for the case, in the fixture's shape. */
export function encodeCase(tokenizer: Tokenizer, golden: GoldenCase): GoldenEncoding {
  const encoding = tokenizer.encode(golden.text_a, golden.text_b ?? undefined, optionsOf(golden));
  return {
    input_ids: Array.from(encoding.inputIds),
    token_type_ids: Array.from(encoding.tokenTypeIds),
    attention_mask: Array.from(encoding.attentionMask),
  };
}

/** The slow column's ids, token types and attention mask (its token strings left out). */
export function slowEncoding(golden: GoldenCase): GoldenEncoding {
  const { input_ids, token_type_ids, attention_mask } = golden.slow;
  return { input_ids, token_type_ids, attention_mask };
}

/** Ids of the cases whose encoding differs from the slow column in any of the three arrays. */
export function casesDifferingFromSlow(tokenizer: Tokenizer, cases: readonly GoldenCase[]): string[] {
  return cases
    .filter((golden) => JSON.stringify(encodeCase(tokenizer, golden)) !== JSON.stringify(slowEncoding(golden)))
    .map((golden) => golden.id);
}

const GLUE_GROUPS = ['sst2', 'mrpc', 'rte', 'stsb', 'cola', 'qnli', 'wnli'] as const;

/** One test per GLUE task asserting every row's ids, token types and mask, and a count of the cases. */
export function testEveryGlueRow(label: string, tokenizer: Tokenizer, cases: readonly GoldenCase[]): void {
  for (const group of GLUE_GROUPS) {
    test(`${label}: every ${group} row gets the slow tokenizer's ids, token types and mask`, () => {
      const rows = cases.filter((c) => c.group === group);
      assert.ok(rows.length >= 20);
      for (const golden of rows) assert.deepEqual(encodeCase(tokenizer, golden), slowEncoding(golden), golden.id);
    });
  }
  test(`${label}: 500 GLUE rows and 63 edge cases are checked`, () => {
    assert.equal(cases.filter((c) => c.group !== 'edge').length, 500);
    assert.equal(cases.filter((c) => c.group === 'edge').length, 63);
  });
}

/** A temporary folder holding copies of `files` from `fromDir`; removed by the returned function. */
export function folderWithOnly(fromDir: string, files: readonly string[]): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-tokenizer-'));
  for (const name of files) fs.copyFileSync(path.join(fromDir, name), path.join(dir, name));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
