import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import { CheckpointError, OnnxError } from '../../src/errors.js';
import { CHECKPOINTS, tempDir } from '../helpers/paths.js';
import { fuzzTarget } from './run-fuzz.js';
import { pickleInZipSeed } from './structured.js';
import { FUZZ_TARGETS, isExpectedError } from './targets.js';

/** A short run of every fuzz target; `npm run fuzz` runs many thousands per target. */
describe('fuzz (short run): parsers only ever throw typed errors', () => {
  for (const target of FUZZ_TARGETS) {
    it(target.name, async () => {
      const r = await fuzzTarget(target, 300, 1);
      assert.deepEqual(r.crashes, [], JSON.stringify(r.crashes.slice(0, 3)));
      assert.deepEqual(r.hangs, [], JSON.stringify(r.hangs.slice(0, 3)));
      assert.ok(r.refused > 0, 'mutations were refused at least sometimes');
    });
  }
});

describe('fuzz harness: what counts as a crash', () => {
  it('a typed error that wraps a TypeError is a crash; a refusal or a wrapped I/O error is not', () => {
    assert.equal(isExpectedError(new CheckpointError('f', 'truncated')), true);
    assert.equal(isExpectedError(new CheckpointError('f', 'cannot be read', new TypeError('x is undefined'))), false);
    assert.equal(isExpectedError(new OnnxError('f', 'bad', new CheckpointError('g', 'inner'))), true);
    const io = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' });
    assert.equal(isExpectedError(new CheckpointError('f', 'cannot be read', io)), true);
    assert.equal(isExpectedError(new TypeError('raw')), false);
  });

  it('the pickle mutations reach the unpickler: the ZIP is rebuilt with a valid CRC', () => {
    const dir = tempDir('albench-fuzz-probe-');
    const seed = pickleInZipSeed(path.join(CHECKPOINTS, 'albert-tiny-cls', 'pytorch_model.bin'));
    const messages: string[] = [];
    try {
      for (let at = 2; at < 40; at++) {
        const file = path.join(dir, `probe-${at}.bin`);
        fs.writeFileSync(file, seed.build!(Uint8Array.from(seed.bytes, (b, i) => (i === at ? b ^ 0xff : b))));
        try {
          openTorchBin(file).close();
        } catch (e) {
          assert.ok(isExpectedError(e), String(e));
          messages.push((e as Error).message);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(messages.some((m) => /data\.pkl at byte \d+/.test(m)), messages.slice(0, 3).join('\n'));
    assert.ok(!messages.some((m) => /CRC/i.test(m)), 'no mutation failed on the CRC');
  });
});

describe('fuzz harness: a hang is a finding', () => {
  it('a case past the time limit is stopped and counted as a hang', async () => {
    const target = FUZZ_TARGETS[0]!;
    const r = await fuzzTarget(target, 3, 1, 0.001);
    assert.equal(r.hangs.length + r.crashes.length + r.accepted + r.refused, 3);
    assert.ok(r.hangs.length > 0);
  });

  it('a worker stopped in a case leaves no files behind', async () => {
    const scratch = tempDir();
    const tmpdir = process.env['TMPDIR'];
    process.env['TMPDIR'] = scratch;
    let stopped = 0;
    try {
      // A worker is stopped only when a 50 ms watch finds it mid-run; 50 cases at a time make that all but certain.
      for (let attempt = 0; attempt < 5 && stopped === 0; attempt++) {
        const r = await fuzzTarget(FUZZ_TARGETS[0]!, 50, 1 + attempt * 50, 0.001);
        stopped = r.hangs.filter((h) => h.error.endsWith('stopped')).length;
      }
    } finally {
      if (tmpdir === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = tmpdir;
    }
    assert.ok(stopped > 0, 'no worker was stopped, so this run shows nothing about their files');
    assert.deepEqual(fs.readdirSync(scratch), [], 'the stopped workers left files in TMPDIR');
  });
});
