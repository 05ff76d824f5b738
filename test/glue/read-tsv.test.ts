import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../src/errors.js';
import { readTsv } from '../../src/glue/read-tsv.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-tsv-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

test('quotes are ordinary characters, not CSV quoting', () => {
  const file = write('quotes.tsv', 'a\tb\n"He said\t"no" to it\n""\t"\n');
  assert.deepEqual(readTsv(file).rows, [
    ['"He said', '"no" to it'],
    ['""', '"'],
  ]);
});

test('\\r\\n line ends, a missing last newline and trailing blank lines are accepted', () => {
  const file = write('crlf.tsv', 'a\tb\r\n1\tx \r\n2\ty\r\n\r\n');
  const table = readTsv(file);
  assert.deepEqual(table.columns, ['a', 'b']);
  assert.deepEqual(table.rows, [
    ['1', 'x '],
    ['2', 'y'],
  ]);
  assert.deepEqual(readTsv(write('no-newline.tsv', 'a\tb\n1\tx')).rows, [['1', 'x']]);
});

test('a headerless file takes its column names from the caller', () => {
  const file = write('headerless.tsv', 'gj04\t1\t\tA sentence.\ngj04\t0\t*\tSentence a.');
  const table = readTsv(file, ['source', 'label', 'mark', 'sentence']);
  assert.equal(table.firstRowLine, 1);
  assert.deepEqual(table.rows[1], ['gj04', '0', '*', 'Sentence a.']);
});

test('the UTF-8 BOM before a header (as in MRPC) is not part of the first column name', () => {
  const file = write('bom.tsv', '\ufeffQuality\t#1 String\n1\tx\n');
  assert.deepEqual(readTsv(file).columns, ['Quality', '#1 String']);
});

test('a row with the wrong number of fields names the file and the line', () => {
  const file = write('short-row.tsv', 'index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n1\ta\tentailment\n');
  assert.throws(
    () => readTsv(file),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === file &&
      e.message.startsWith(`${file}: line 3: expected 4`) &&
      /found 3/.test(e.message),
  );
  const headerless = write('long-row.tsv', 'a\t1\t\tx\nb\t1\t\tx\ty\n');
  assert.throws(() => readTsv(headerless, ['s', 'l', 'm', 't']), /long-row\.tsv: line 2: expected 4 .* found 5/);
});

test('a blank line inside the data is an error, not a skipped row', () => {
  const file = write('blank.tsv', 'a\tb\n1\tx\n\n2\ty\n');
  assert.throws(() => readTsv(file), /blank\.tsv: line 3: expected 2/);
});

test('invalid UTF-8, an empty file and an unreadable path are data errors', () => {
  assert.throws(() => readTsv(write('latin1.tsv', Uint8Array.from([0x61, 0x0a, 0xe9, 0x0a]))), /not valid UTF-8/);
  assert.throws(() => readTsv(write('empty.tsv', '')), /is empty/);
  assert.throws(() => readTsv(tmp), (e: unknown) => e instanceof DataError && /cannot read/.test(e.message));
});
