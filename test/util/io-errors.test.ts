import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AlbenchError, IoError } from '../../src/errors.js';
import { replaceAtomic, writeDirAtomic, writeFileAtomic } from '../../src/util/atomic.js';
import { asIoError, checkOutputFile } from '../../src/util/io-errors.js';
import { anyContent } from '../../src/util/owned-folder.js';
import { tempDir } from '../helpers/paths.js';

/** Shaped as Node makes them: an errno name, the call, and (for calls on a path) the path. */
function systemError(code: string, syscall: string, file?: string, dest?: string): NodeJS.ErrnoException {
  const where = file === undefined ? '' : ` '${file}'${dest === undefined ? '' : ` -> '${dest}'`}`;
  return Object.assign(new Error(`${code}: failed, ${syscall}${where}`), { code, errno: -1, syscall, path: file, dest });
}

const onlyTarget = (dir: string, name: string) => assert.deepEqual(fs.readdirSync(dir).filter((f) => f !== name), []);

describe('system errors become one line naming the user\'s path', () => {
  it('each common code says what to do, keeps the original as cause, and names no temporary', () => {
    const cases: Array<[NodeJS.ErrnoException, RegExp]> = [
      [systemError('ENOSPC', 'write'), /^out\/model\.onnx: no space left on the device; free some space/],
      [systemError('EDQUOT', 'write'), /^out\/model\.onnx: the disk quota is used up/],
      [systemError('EFBIG', 'write'), /^out\/model\.onnx: .*file-size limit .*ulimit -f/],
      [systemError('EACCES', 'open', 'out/.model.onnx.tmp-12-1700000000000'), /^out\/model\.onnx: permission denied/],
      [systemError('EROFS', 'mkdir', '/ro/.x.tmp-1-2/onnx'), /^\/ro\/x\/onnx: the file system is read-only/],
      [systemError('EISDIR', 'rename', 'out/.model.onnx.tmp-12-17', 'out/model.onnx'), /^out\/model\.onnx: is a folder, where a file was expected/],
      [systemError('EBUSY', 'rename', '.', '...old.tmp-4-5'), /^\.: is busy/],
      [systemError('EMFILE', 'open', 'a.tsv'), /^a\.tsv: too many open files .*ulimit -n/],
      [systemError('ENOTDIR', 'open', 'file.txt/x'), /^file\.txt\/x: a part of the path is a file/],
      [systemError('EXYZ', 'open', 'a'), /^a: open failed \(EXYZ\)$/],
    ];
    for (const [original, expected] of cases) {
      const e = asIoError(original, 'out/model.onnx');
      assert.ok(e instanceof IoError, original.code);
      assert.match(e.message, expected);
      assert.doesNotMatch(e.message, /\.tmp-|\n/);
      assert.equal(e.cause, original);
      assert.equal(e.exitCode, 1);
    }
  });

  it('ENOENT says which folder is missing', () => {
    const e = asIoError(systemError('ENOENT', 'open', '/no/such/folder/.p.tsv.tmp-3-4')) as Error;
    assert.equal(e.message, '/no/such/folder/p.tsv: the folder /no/such/folder does not exist; create it first');
  });

  it('a write to an open file without a target names no path rather than a wrong one; other errors pass through', () => {
    assert.match((asIoError(systemError('EIO', 'read')) as Error).message, /^cannot read: input\/output error/);
    const plain = new TypeError('x');
    assert.equal(asIoError(plain), plain);
    const ours = new IoError('mine');
    assert.equal(asIoError(ours), ours);
    const nodeCheck = Object.assign(new Error('bad'), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.equal(asIoError(nodeCheck), nodeCheck);
  });
});

describe('atomic writers under I/O failures: one typed error, nothing half-written', () => {
  it('a full disk (/dev/full) while writing a file', { skip: !fs.existsSync('/dev/full') }, () => {
    const dir = tempDir();
    const target = path.join(dir, 'predictions.tsv');
    const e = assertThrowsIo(() => replaceAtomic(target, (tmp) => {
      fs.writeFileSync(tmp, 'partial');
      const fd = fs.openSync('/dev/full', 'w');
      try {
        fs.writeSync(fd, 'more');
      } finally {
        fs.closeSync(fd);
      }
    }));
    assert.equal(e.message, `${target}: no space left on the device; free some space or write elsewhere`);
    assert.equal((e.cause as NodeJS.ErrnoException).code, 'ENOSPC');
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('a full disk while filling a folder names the file inside the final folder', async () => {
    const root = tempDir();
    const target = path.join(root, 'model');
    await assert.rejects(writeDirAtomic(target, anyContent, async (tmp) => {
      fs.mkdirSync(path.join(tmp, 'onnx'));
      writeFileAtomic(path.join(tmp, 'onnx', 'model.onnx'), 'x');
      replaceAtomic(path.join(tmp, 'onnx', 'model.onnx_data'), () => {
        throw systemError('ENOSPC', 'write');
      });
    }), (e: unknown) => e instanceof IoError && e.message === `${path.join(target, 'onnx', 'model.onnx_data')}: no space left on the device; free some space or write elsewhere`);
    assert.deepEqual(fs.readdirSync(root), []);
  });

  it('a file target that is a folder, and a missing folder', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'out'));
    assert.match(assertThrowsIo(() => writeFileAtomic(path.join(dir, 'out'), 'x')).message, /out: is a folder, where a file was expected/);
    assert.match(assertThrowsIo(() => writeFileAtomic(path.join(dir, 'nope', 'p.tsv'), 'x')).message, /nope\/p\.tsv: the folder .*nope does not exist/);
    onlyTarget(dir, 'out');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'out')), []);
  });

  it('checkOutputFile refuses the same before any work', () => {
    const dir = tempDir();
    assert.match(assertThrowsIo(() => checkOutputFile(dir, true)).message, /is a folder, where a file was expected/);
    assert.match(assertThrowsIo(() => checkOutputFile(path.join(dir, 'nope', 'p.tsv'), false)).message, /the folder .*nope does not exist/);
    checkOutputFile(path.join(dir, 'nope', 'x.onnx'), true);
    checkOutputFile(path.join(dir, 'p.tsv'), false);
  });
});

function assertThrowsIo(f: () => void): AlbenchError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof IoError, String(e));
    return e;
  }
  assert.fail('expected an IoError');
}
