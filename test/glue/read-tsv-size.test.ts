import assert from 'node:assert/strict';
import { constants } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DataError } from '../../src/errors.js';
import { readTsv } from '../../src/glue/read-tsv.js';
import { tempDir } from '../helpers/paths.js';

describe('a TSV larger than a string can hold', () => {
  it('is refused as too large, with the limit, not as "not valid UTF-8"', () => {
    const file = path.join(tempDir(), 'dev.tsv');
    // A sparse file: one line of NUL characters, valid UTF-8, one byte longer than the limit; no disk is used.
    fs.writeFileSync(file, '');
    fs.truncateSync(file, constants.MAX_STRING_LENGTH + 1);
    assert.throws(() => readTsv(file), (e: unknown) => e instanceof DataError
      && e.message === `${file}: is too large to read: ${constants.MAX_STRING_LENGTH + 1} bytes; albench reads a data file of at most `
        + `${constants.MAX_STRING_LENGTH} characters (about 511 MB)`);
    fs.rmSync(file);
  });

  it('bytes that are not UTF-8 are still called that', () => {
    const file = path.join(tempDir(), 'dev.tsv');
    fs.writeFileSync(file, Buffer.from([0x61, 0x09, 0xff, 0x0a]));
    assert.throws(() => readTsv(file), /dev\.tsv: is not valid UTF-8$/);
  });
});
