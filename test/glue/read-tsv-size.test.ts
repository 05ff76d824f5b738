import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DataError } from '../../src/errors.js';
import { readTsv, TSV_MAX_BYTES } from '../../src/glue/read-tsv.js';
import { tempDir } from '../helpers/paths.js';

describe('a TSV larger than albench reads', () => {
  it('is refused before it is read, naming the limit, not as "not valid UTF-8"', () => {
    const file = path.join(tempDir(), 'dev.tsv');
    // A sparse file: one line of NUL characters, valid UTF-8, one byte over the limit; no disk is used.
    fs.writeFileSync(file, '');
    fs.truncateSync(file, TSV_MAX_BYTES + 1);
    assert.throws(() => readTsv(file), (e: unknown) => e instanceof DataError
      && e.message.startsWith(`${file}: is ${TSV_MAX_BYTES + 1} bytes; albench reads TSV files up to `));
    fs.rmSync(file);
  });

  it('bytes that are not UTF-8 are still called that', () => {
    const file = path.join(tempDir(), 'dev.tsv');
    fs.writeFileSync(file, Buffer.from([0x61, 0x09, 0xff, 0x0a]));
    assert.throws(() => readTsv(file), /dev\.tsv: is not valid UTF-8$/);
  });
});
