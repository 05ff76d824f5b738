import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { MAX_ENTRIES, ZipReader } from '../../src/checkpoint/zip.js';
import { CheckpointError } from '../../src/errors.js';
import { ScratchDir } from '../helpers/torch-checkpoint.js';
import { writeZip, type ZipWriterEntry } from '../helpers/zip-writer.js';

const scratch = new ScratchDir();
after(() => scratch.remove());

let fileCount = 0;
/** Opens `bytes` as a ZIP, runs `use`, and closes the descriptor whatever happens. */
function withZip<T>(bytes: Uint8Array, use: (zip: ZipReader) => T): T {
  const file = scratch.write(`zip-${fileCount++}.zip`, bytes);
  const fd = fs.openSync(file, 'r');
  try {
    return use(ZipReader.fromFd(fd, file));
  } finally {
    fs.closeSync(fd);
  }
}

function assertRefused(bytes: Uint8Array, problem: RegExp, use: (zip: ZipReader) => unknown = () => undefined): void {
  assert.throws(() => withZip(bytes, use), (err: unknown) => err instanceof CheckpointError && problem.test(err.message));
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('ZipReader', () => {
  const entries: ZipWriterEntry[] = [
    { name: 'a/stored', data: text('hello, stored world') },
    { name: 'a/deflated', data: text('hello, deflated world '.repeat(50)), deflate: true },
    { name: 'a/empty', data: new Uint8Array(0) },
  ];

  for (const zip64 of [false, true]) {
    it(`lists entries and reads whole entries and ranges${zip64 ? ' (ZIP64)' : ''}`, () => {
      withZip(writeZip(entries, { zip64 }), (zip) => {
        assert.deepEqual([...zip.entries.keys()], ['a/stored', 'a/deflated', 'a/empty']);
        const stored = zip.entries.get('a/stored')!;
        assert.equal(stored.method, 'stored');
        assert.equal(decode(zip.read(stored)), 'hello, stored world');
        assert.equal(decode(zip.read(stored, 7, 6)), 'stored');
        const deflated = zip.entries.get('a/deflated')!;
        assert.equal(deflated.method, 'deflated');
        assert.ok(deflated.compressedSize < deflated.size);
        assert.equal(decode(zip.read(deflated)), 'hello, deflated world '.repeat(50));
        assert.equal(decode(zip.read(deflated, 22, 5)), 'hello');
        assert.equal(zip.read(zip.entries.get('a/empty')!).length, 0);
      });
    });
  }

  it('finds the end record behind an archive comment', () => {
    const bytes = writeZip(entries);
    const comment = text('a comment that mentions PK\x05\x06 to mislead the scan');
    const withComment = Buffer.concat([bytes, comment]);
    withComment.writeUInt16LE(comment.length, bytes.length - 2);
    withZip(withComment, (zip) => assert.equal(zip.entries.size, 3));
  });

  it('refuses reads outside an entry', () => {
    assertRefused(writeZip(entries), /outside entry 'a\/stored'/, (zip) => zip.read(zip.entries.get('a/stored')!, 10, 100));
  });

  it("refuses names with '..' segments but not names that merely contain dots", () => {
    for (const name of ['..', '../x', 'a/../b', 'a/..']) {
      assertRefused(writeZip([{ name, data: new Uint8Array(1) }]), /contains a '\.\.' segment/);
    }
    withZip(writeZip([{ name: 'a/..b/c..d/...', data: new Uint8Array(1) }]), (zip) => assert.ok(zip.entries.has('a/..b/c..d/...')));
  });

  it('refuses unsupported compression methods and encrypted entries', () => {
    const bytes = Buffer.from(writeZip([{ name: 'x', data: new Uint8Array(4) }]));
    const directory = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const bzip2 = Buffer.from(bytes);
    bzip2.writeUInt16LE(12, directory + 10);
    assertRefused(bzip2, /compression method 12; only stored and deflated/);
    const encrypted = Buffer.from(bytes);
    encrypted.writeUInt16LE(1, directory + 8);
    assertRefused(encrypted, /is encrypted/);
  });

  it('refuses a local header that disagrees with the directory', () => {
    const bytes = Buffer.from(writeZip([{ name: 'abc', data: new Uint8Array(4) }]));
    bytes[30] = 'x'.charCodeAt(0); // first byte of the local header's name
    assertRefused(bytes, /different name in its local header/);
  });

  it(`refuses more than ${MAX_ENTRIES} entries before reading them`, () => {
    // Only a ZIP64 record can declare that many; patch its two entry counts.
    const bytes = Buffer.from(writeZip([{ name: 'x', data: new Uint8Array(4) }], { zip64: true }));
    const record = bytes.length - 22 - 20 - 56;
    bytes.writeBigUInt64LE(BigInt(MAX_ENTRIES + 1), record + 24);
    bytes.writeBigUInt64LE(BigInt(MAX_ENTRIES + 1), record + 32);
    assertRefused(bytes, new RegExp(`lists ${MAX_ENTRIES + 1} entries, more than the ${MAX_ENTRIES} allowed`));
  });

  it('refuses an entry count the central directory does not hold', () => {
    const bytes = Buffer.from(writeZip([{ name: 'x', data: new Uint8Array(4) }]));
    bytes.writeUInt16LE(2, bytes.length - 22 + 8);
    bytes.writeUInt16LE(2, bytes.length - 22 + 10);
    assertRefused(bytes, /central directory is corrupt/);
  });

  it('refuses split archives', () => {
    const bytes = Buffer.from(writeZip([{ name: 'x', data: new Uint8Array(4) }]));
    bytes.writeUInt16LE(1, bytes.length - 22 + 4);
    assertRefused(bytes, /multi-volume/);
  });
});
