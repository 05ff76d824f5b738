import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { STALE_AFTER_MS, parseTempName, sweepStaleTemporaries, tempNameFor, withoutTempNames } from '../../src/util/temporaries.js';
import { tempDir } from '../helpers/paths.js';

/** The pid of a process that has exited (and, being just reaped, is not yet reused). */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

describe('temporary names', () => {
  it('round-trip, and map back to the name they stand for', () => {
    const name = tempNameFor('model.onnx');
    assert.deepEqual({ ...parseTempName(name), createdMs: 0 }, { name: 'model.onnx', pid: process.pid, createdMs: 0 });
    assert.equal(withoutTempNames(`out/${tempNameFor('m')}/onnx/${tempNameFor('model.onnx')}`), 'out/m/onnx/model.onnx');
    for (const other of ['model.tmp-1-2', '.model.tmp-1-2.bak', '.model.tmp-x-2', '.model.tmp-1', '.tmp-1-2', '.model.tmp-1-2/']) {
      assert.equal(parseTempName(other), null, other);
    }
  });
});

describe('sweeping stale temporaries', () => {
  it('removes only a dead process\'s temporaries older than a few seconds, folders and files alike', () => {
    const dir = tempDir();
    const dead = deadPid();
    const old = Date.now() - 60_000;
    const make = (name: string, folder: boolean): string => {
      const p = path.join(dir, name);
      if (folder) {
        fs.mkdirSync(path.join(p, 'onnx'), { recursive: true });
        fs.writeFileSync(path.join(p, 'onnx', 'model.onnx'), 'x');
      } else {
        fs.writeFileSync(p, 'x');
      }
      fs.utimesSync(p, old / 1000, old / 1000);
      return name;
    };
    const stale = [make(`.model.tmp-${dead}-${old}`, true), make(`.report.json.tmp-${dead}-${old}`, false)];
    const kept = [
      make(`.live.tmp-${process.pid}-${old}`, true),
      make(`.parent.tmp-${process.ppid}-${old}`, false),
      make(`.fresh.tmp-${dead}-${Date.now()}`, false),
      make(`model.tmp-${dead}-${old}`, false),
      make(`.model.tmp-${dead}-${old}.keep`, false),
      make('notes.txt', false),
      make('model', true),
    ];
    // A link named like a temporary is removed as a link; what it points to stays.
    const target = path.join(tempDir(), 'elsewhere');
    fs.writeFileSync(target, 'keep me');
    fs.symlinkSync(target, path.join(dir, `.link.tmp-${dead}-${old}`));
    fs.lutimesSync(path.join(dir, `.link.tmp-${dead}-${old}`), old / 1000, old / 1000);
    sweepStaleTemporaries(dir);
    assert.deepEqual(fs.readdirSync(dir).sort(), kept.sort());
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me');
    assert.ok(stale.every((s) => !fs.existsSync(path.join(dir, s))));
  });

  it('a dead process\'s temporary is kept until it is STALE_AFTER_MS old, then removed', () => {
    const dir = tempDir();
    const name = `.model.tmp-${deadPid()}-${Date.now()}`;
    fs.mkdirSync(path.join(dir, name));
    sweepStaleTemporaries(dir);
    assert.deepEqual(fs.readdirSync(dir), [name]);
    sweepStaleTemporaries(dir, Date.now() + STALE_AFTER_MS + 1000);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('a missing or unreadable folder is left alone: no error for the write that follows to trip on, nothing made or removed', () => {
    const root = tempDir();
    const missing = path.join(root, 'missing');
    assert.doesNotThrow(() => sweepStaleTemporaries(missing));
    assert.equal(fs.existsSync(missing), false);
    // A file where a folder is expected cannot be listed (ENOTDIR); named like a dead process's stale temporary, it still stays.
    const file = path.join(root, `.model.tmp-${deadPid()}-${Date.now() - 60_000}`);
    fs.writeFileSync(file, 'keep me');
    assert.doesNotThrow(() => sweepStaleTemporaries(file));
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    assert.deepEqual(fs.readdirSync(root), [path.basename(file)]);
  });
});
