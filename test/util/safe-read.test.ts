import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AlbenchError, CheckpointError, DataError } from '../../src/errors.js';
import { readFileInside, readRegularFile, resolveInside } from '../../src/util/safe-read.js';
import { makeFifo } from '../helpers/hostile-files.js';
import { tempDir } from '../helpers/paths.js';

const LIMIT = { maxBytes: 1024 };


describe('reading inside a folder', () => {
  it('reads a regular file, and a link that stays inside the folder; an absent file is null', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    fs.symlinkSync('a.json', path.join(dir, 'b.json'));
    assert.equal(readFileInside(dir, 'a.json', LIMIT)?.toString(), '{}');
    assert.equal(readFileInside(dir, 'b.json', LIMIT)?.toString(), '{}');
    assert.equal(readFileInside(dir, 'absent.json', LIMIT), null);
  });

  it('refuses a link to a file outside the folder, naming the link and where it points', () => {
    const outside = path.join(tempDir(), 'secret-token');
    fs.writeFileSync(outside, 'hf_secret');
    const dir = tempDir();
    fs.symlinkSync(outside, path.join(dir, 'vocab.txt'));
    assert.throws(() => readFileInside(dir, 'vocab.txt', LIMIT), (e: unknown) => e instanceof CheckpointError
      && e.message.startsWith(`${path.join(dir, 'vocab.txt')}: is a link to ${outside}`) && /outside/.test(e.message) && !/hf_secret/.test(e.message));
    fs.symlinkSync('../../etc/passwd', path.join(dir, 'relative.txt'));
    assert.throws(() => resolveInside(dir, 'relative.txt'), /is a link to \.\.\/\.\.\/etc\/passwd/);
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.txt'));
    assert.throws(() => resolveInside(dir, 'dangling.txt'), /which does not exist/);
  });

  it('refuses a link to /dev/zero at once, without reading it', { timeout: 5000 }, () => {
    const dir = tempDir();
    fs.symlinkSync('/dev/zero', path.join(dir, 'vocab.txt'));
    const heap = process.memoryUsage().rss;
    assert.throws(() => readFileInside(dir, 'vocab.txt', { maxBytes: 2 ** 30 }), /outside/);
    assert.throws(() => readRegularFile('/dev/zero', { maxBytes: 2 ** 30 }), /it is a character device, not a regular file/);
    assert.ok(process.memoryUsage().rss - heap < 64 * 2 ** 20, 'no memory growth');
  });

  it('refuses a device node inside the folder (a /dev/null link where mknod is not allowed)', () => {
    const dir = tempDir();
    fs.symlinkSync('/dev/null', path.join(dir, 'config.json'));
    assert.throws(() => readRegularFile(path.join(dir, 'config.json'), LIMIT), /config\.json: cannot read: it is a character device/);
  });

  it('refuses a FIFO and never blocks on it', { timeout: 5000 }, (t) => {
    const dir = tempDir();
    if (makeFifo(path.join(dir, 'tokenizer.json')) === null) return t.skip('mkfifo is not available');
    assert.throws(() => readFileInside(dir, 'tokenizer.json', LIMIT), /tokenizer\.json: cannot read: it is a FIFO \(named pipe\)/);
    assert.throws(() => readRegularFile(path.join(dir, 'tokenizer.json'), { ...LIMIT, refuse: (f, p) => new DataError(f, p) }),
      (e: unknown) => e instanceof DataError && /FIFO/.test(e.message));
  });

  it('refuses a folder and a file over the cap, saying what the cap is', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'vocab.txt'));
    assert.throws(() => readFileInside(dir, 'vocab.txt', LIMIT), /it is a folder/);
    fs.writeFileSync(path.join(dir, 'big.txt'), Buffer.alloc(3 * 2 ** 20));
    assert.throws(() => readFileInside(dir, 'big.txt', { maxBytes: 2 ** 20, kind: 'TSV files' }), /is 3145728 bytes; albench reads TSV files up to 1 MB/);
  });

  it('a Hugging Face snapshot may link into its own repo\'s blobs, nowhere else', () => {
    const cache = tempDir();
    const repo = path.join(cache, 'models--org--name');
    const other = path.join(cache, 'models--org--other');
    const snapshot = path.join(repo, 'snapshots', 'c0ffee');
    for (const d of [snapshot, path.join(repo, 'blobs'), path.join(other, 'blobs')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(repo, 'blobs', 'aa'), '{}');
    fs.writeFileSync(path.join(other, 'blobs', 'bb'), '{}');
    fs.symlinkSync('../../blobs/aa', path.join(snapshot, 'config.json'));
    fs.symlinkSync('../../../models--org--other/blobs/bb', path.join(snapshot, 'vocab.txt'));
    assert.equal(readFileInside(snapshot, 'config.json', LIMIT)?.toString(), '{}');
    assert.throws(() => readFileInside(snapshot, 'vocab.txt', LIMIT), (e: unknown) => e instanceof AlbenchError && /outside/.test(e.message));
  });
});
