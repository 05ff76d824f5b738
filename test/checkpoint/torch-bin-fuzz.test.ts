import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import { ZipReader } from '../../src/checkpoint/zip.js';
import { CheckpointError } from '../../src/errors.js';
import { ScratchDir, float32Bytes, stateDictPickle, torchArchive, type ArchiveParts } from '../helpers/torch-checkpoint.js';

/**
 * The promise that nothing but CheckpointError escapes, checked on every single-byte corruption
 * and every truncation of a small checkpoint: each must either load or fail cleanly.
 */
const scratch = new ScratchDir();
after(() => scratch.remove());

// Each case gets a fresh file: truncating and rewriting one file makes ext4 flush it to disk
// every time, which made this test ten times slower.
let caseCount = 0;
function writeCase(bytes: Uint8Array): string {
  return scratch.write(`case-${caseCount++}.bin`, bytes);
}

const PICKLE = stateDictPickle({
  'enc.weight': { storageKey: '0', storageNumel: 6, shape: [3, 2], stride: [1, 3] },
  'enc.bias': { storageKey: '1', storageNumel: 2, shape: [2], asParameter: true },
  tied: { storageKey: '0', storageNumel: 6, offset: 2, shape: [2, 2] },
});
const STORAGES = { '0': float32Bytes([0, 1, 2, 3, 4, 5]), '1': float32Bytes([6, 7]) };

/** Loads and reads everything; returns 'ok' or 'refused', and fails the test on any other outcome. */
function outcome(bytes: Uint8Array, label: string): 'ok' | 'refused' {
  const file = writeCase(bytes);
  try {
    const state = openTorchBin(file);
    try {
      for (const tensor of state.tensors.values()) tensor.bytes();
    } finally {
      state.close();
    }
    return 'ok';
  } catch (err) {
    if (err instanceof CheckpointError && err.message.startsWith(`${file}: `)) return 'refused';
    assert.fail(`${label}: escaped as ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  } finally {
    fs.unlinkSync(file);
  }
}

/** [start, end) of each entry's data in the archive. */
function entryContents(bytes: Uint8Array): Array<[number, number]> {
  const file = writeCase(bytes);
  const fd = fs.openSync(file, 'r');
  try {
    return [...ZipReader.fromFd(fd, file).entries.values()].map((e): [number, number] => [e.dataOffset, e.dataOffset + e.compressedSize]);
  } finally {
    fs.closeSync(fd);
  }
}

function archive(pickle: Uint8Array, parts: Partial<ArchiveParts> = {}): Uint8Array {
  return torchArchive({ pickle, storages: STORAGES, ...parts });
}

describe('openTorchBin under corruption', () => {
  it('the uncorrupted checkpoints load', () => {
    assert.equal(outcome(archive(PICKLE), 'plain'), 'ok');
    assert.equal(outcome(archive(PICKLE, { zip: { zip64: true } }), 'zip64'), 'ok');
  });

  it('every byte of the pickle replaced, with the archive kept consistent', () => {
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < PICKLE.length; i++) {
      // A flipped byte, and in turn the opcodes that most change the stack's shape: MARK, STOP, TUPLE.
      for (const value of [PICKLE[i]! ^ 0xff, [0x28, 0x2e, 0x74][i % 3]!]) {
        const pickle = PICKLE.slice();
        pickle[i] = value & 0xff;
        counts[outcome(archive(pickle), `pickle[${i}] = ${value & 0xff}`)]++;
      }
    }
    assert.ok(counts.refused > 0 && counts.ok > 0, JSON.stringify(counts));
  });

  it('every truncation of the pickle', () => {
    for (let keep = 0; keep < PICKLE.length; keep++) {
      assert.equal(outcome(archive(PICKLE.subarray(0, keep)), `pickle cut to ${keep}`), 'refused');
    }
  });

  for (const zip64 of [false, true]) {
    // Entry contents are left out: a flip there can only fail the CRC (tested elsewhere).
    it(`every structural byte of the archive flipped${zip64 ? ' (ZIP64)' : ''}`, () => {
      const bytes = archive(PICKLE, { zip: { zip64 } });
      const contents = entryContents(bytes);
      for (let i = 0; i < bytes.length; i++) {
        if (contents.some(([start, end]) => i >= start && i < end)) continue;
        const corrupt = bytes.slice();
        corrupt[i] = corrupt[i]! ^ 0xff;
        outcome(corrupt, `archive byte ${i} flipped`);
      }
    });
  }

  it('every truncation of the archive', () => {
    const bytes = archive(PICKLE, { zip: { zip64: true } });
    for (let keep = 0; keep < bytes.length; keep++) assert.equal(outcome(bytes.subarray(0, keep), `archive cut to ${keep}`), 'refused');
  });
});
