import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_HEADER_BYTES, openSafetensors } from '../../src/checkpoint/safetensors.js';
import { openShardedSafetensors } from '../../src/checkpoint/sharded.js';
import { CheckpointError } from '../../src/errors.js';
import { tempDir } from '../helpers/paths.js';

/** A safetensors file from a raw header string and data, so every field can be made wrong. */
function craft(header: string | Record<string, unknown>, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): string {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(declaredLength ?? BigInt(Buffer.byteLength(text)));
  const file = path.join(tempDir(), 'model.safetensors');
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(text), data]));
  return file;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

function refused(file: string, pattern: RegExp): void {
  assert.throws(() => {
    const sd = openSafetensors(file);
    try {
      for (const t of sd.tensors.values()) t.bytes();
    } finally {
      sd.close();
    }
  }, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, `expected CheckpointError, got ${String(e)}`);
    assert.ok(e.message.startsWith(file), 'the message names the file');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('safetensors: hostile and broken files are refused with the file and the problem', () => {
  it('too short to hold the length prefix', () => {
    const file = path.join(tempDir(), 'model.safetensors');
    fs.writeFileSync(file, Buffer.from([1, 2, 3]));
    refused(file, /too short/);
  });
  it('header length beyond the file', () => refused(craft('{}', new Uint8Array(0), 1000n), /header .* only/));
  it('absurd header length (refused before allocating)', () => refused(craft('{}', new Uint8Array(0), 2n ** 62n), new RegExp(`limit ${MAX_HEADER_BYTES}`)));
  it('header not JSON', () => refused(craft('{"a": '), /not valid UTF-8 JSON/));
  it('header not UTF-8', () => refused(craft(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')), /not valid UTF-8 JSON/));
  it('header not an object', () => refused(craft('[1, 2]'), /not a JSON object/));
  it('entry not an object', () => refused(craft({ w: 3 }), /"w" has a header entry that is not an object/));
  it('duplicate tensor names', () => refused(craft('{"w": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "w": {"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)), /"w" appears twice/));
  it('unknown dtype', () => refused(craft({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /dtype F8_E4M3/));
  it('negative or fractional shape', () => refused(craft({ w: f32([-1], 0, 4) }, new Uint8Array(4)), /shape that is not a list of non-negative integers/));
  it('byte length not equal to shape x dtype', () => refused(craft({ w: f32([3], 0, 8) }, new Uint8Array(8)), /holds 8 bytes but its shape \[3\] x F32 needs 12/));
  it('offsets that end before they begin', () => refused(craft({ w: f32([0], 8, 4) }, new Uint8Array(8)), /end before they begin/));
  it('offsets beyond the data (truncated file)', () => refused(craft({ w: f32([4], 0, 16) }, new Uint8Array(8)), /describes 16 bytes .* holds 8; the file is truncated/));
  it('overlapping tensors', () => refused(craft({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, new Uint8Array(12)), /"b" starts at byte 4 .* expected 8/));
  it('a gap between tensors', () => refused(craft({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, new Uint8Array(12)), /starts at byte 8 .* expected 4/));
  it('trailing bytes after the last tensor', () => refused(craft({ a: f32([1], 0, 4) }, new Uint8Array(8)), /describes 4 bytes .* holds 8/));
  it('header order may differ from data order (legal)', () => {
    const sd = openSafetensors(craft({ b: f32([1], 4, 8), a: f32([1], 0, 4) }, new Uint8Array(Float32Array.from([1, 2]).buffer)));
    assert.deepEqual([...new Float32Array(sd.tensors.get('b')?.bytes().slice().buffer ?? new ArrayBuffer(0))], [2]);
    sd.close();
  });
  it('a file truncated after it was opened is caught when the tensor is read', () => {
    const file = craft({ a: f32([2], 0, 8) }, new Uint8Array(8));
    const sd = openSafetensors(file);
    fs.truncateSync(file, fs.statSync(file).size - 4);
    assert.throws(() => sd.tensors.get('a')?.bytes(), /lies beyond the end of the file/);
    sd.close();
  });
});

describe('sharded safetensors index', () => {
  const index = (weightMap: unknown) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    return dir;
  };
  const rejects = (dir: string, pattern: RegExp) =>
    assert.throws(() => openShardedSafetensors(path.join(dir, 'model.safetensors.index.json')), (e: unknown) => e instanceof CheckpointError && pattern.test(e.message));

  it('names a missing shard', () => rejects(index({ w: 'model-00001-of-00002.safetensors' }), /names shard "model-00001-of-00002\.safetensors", which is missing/));
  it('names a shard outside the folder', () => rejects(index({ w: '../../etc/passwd' }), /not a file name inside the checkpoint folder/));
  it('has no weight_map', () => rejects(index(undefined), /no "weight_map"/));
  it('says a shard holds a tensor it does not', () => {
    const dir = index({ w: 'a.safetensors', v: 'a.safetensors' });
    fs.copyFileSync(craft({ w: f32([1], 0, 4) }, new Uint8Array(4)), path.join(dir, 'a.safetensors'));
    rejects(dir, /does not hold "v"/);
  });
  it('reads tensors across shards', () => {
    const dir = index({ w: 'a.safetensors', v: 'b.safetensors' });
    fs.copyFileSync(craft({ w: f32([1], 0, 4) }, new Uint8Array(Float32Array.from([3]).buffer)), path.join(dir, 'a.safetensors'));
    fs.copyFileSync(craft({ v: f32([1], 0, 4) }, new Uint8Array(Float32Array.from([5]).buffer)), path.join(dir, 'b.safetensors'));
    const sd = openShardedSafetensors(path.join(dir, 'model.safetensors.index.json'));
    assert.deepEqual([...sd.tensors.keys()].sort(), ['v', 'w']);
    assert.equal(new Float32Array(sd.tensors.get('v')?.bytes().slice().buffer ?? new ArrayBuffer(4))[0], 5);
    sd.close();
  });
});
