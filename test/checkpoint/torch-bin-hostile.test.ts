import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_MARK_DEPTH } from '../../src/checkpoint/pickle.js';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import { CheckpointError } from '../../src/errors.js';
import { PickleWriter } from '../helpers/pickle-writer.js';
import { ScratchDir, float32Bytes, stateDictPickle, torchArchive, writeTensor, type TensorSpec } from '../helpers/torch-checkpoint.js';
import { writeZip } from '../helpers/zip-writer.js';

const scratch = new ScratchDir();
after(() => scratch.remove());

let fileCount = 0;
function writeFile(bytes: Uint8Array): string {
  return scratch.write(`case-${fileCount++}.bin`, bytes);
}

/** Opens the file and reads every tensor; must fail with a CheckpointError naming the file and matching `problem`. */
function assertRefused(file: string, problem: RegExp): CheckpointError {
  let caught: unknown;
  try {
    const state = openTorchBin(file);
    try {
      for (const tensor of state.tensors.values()) tensor.bytes();
    } finally {
      state.close();
    }
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CheckpointError, `expected a CheckpointError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  assert.ok(caught.message.startsWith(`${file}: `), caught.message);
  assert.match(caught.message, problem);
  return caught;
}

function archiveWithPickle(pickle: Uint8Array, storages: Record<string, Uint8Array> = {}): string {
  return writeFile(torchArchive({ pickle, storages }));
}

const ONE_TENSOR: Record<string, TensorSpec> = { w: { storageKey: '0', storageNumel: 4, shape: [2, 2] } };
const FOUR_FLOATS = { '0': float32Bytes([1, 2, 3, 4]) };

describe('openTorchBin refuses code-execution attempts', () => {
  const foreign: Array<[string, string]> = [
    ['os', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['builtins', 'getattr'],
    ['subprocess', 'Popen'],
    ['posix', 'system'],
    ['nt', 'system'],
    ['torch', 'load'],
  ];

  for (const [module, name] of foreign) {
    const marker = path.join(scratch.root, `pwned-${module}-${name}`);
    const command = `touch ${marker}`;

    it(`GLOBAL ${module}.${name} is refused at the GLOBAL opcode, and nothing runs`, () => {
      // PROTO takes bytes 0-1, so GLOBAL sits at byte 2: refused before its arguments are even read.
      const pickle = new PickleWriter().proto(2).global(module, name).str(command).tuple1().reduce().stop().toBytes();
      const err = assertRefused(archiveWithPickle(pickle), new RegExp(`data\\.pkl at byte 2: refused global "${module}\\.${name}"`));
      assert.match(err.message, /allow-list/);
      assert.equal(fs.existsSync(marker), false);
    });

    it(`STACK_GLOBAL ${module}.${name} is refused, and nothing runs`, () => {
      const pickle = new PickleWriter().proto(4).str(module).memoize().str(name).memoize().stackGlobal().str(command).tuple1().reduce().stop().toBytes();
      assertRefused(archiveWithPickle(pickle), new RegExp(`refused global "${module}\\.${name}"`));
      assert.equal(fs.existsSync(marker), false);
    });
  }

  it('a foreign global hidden after valid tensors is still refused', () => {
    const p = new PickleWriter().proto(2).emptyDict().mark();
    writeTensor(p.str('w'), ONE_TENSOR['w']!);
    p.str('payload').global('os', 'system').str('true').tuple1().reduce().setitems().stop();
    assertRefused(archiveWithPickle(p.toBytes(), FOUR_FLOATS), /refused global "os\.system"/);
  });

  it('REDUCE on something that is not an allow-listed function is refused', () => {
    const onStorageClass = new PickleWriter().proto(2).global('torch', 'FloatStorage').emptyTuple().reduce().stop().toBytes();
    assertRefused(archiveWithPickle(onStorageClass), /REDUCE on the storage class torch\.FloatStorage is not allowed/);
    const onString = new PickleWriter().proto(2).str('os.system').str('true').tuple1().reduce().stop().toBytes();
    assertRefused(archiveWithPickle(onString), /REDUCE on a str is not allowed/);
  });

  it('BUILD is refused on anything but an OrderedDict', () => {
    const onDict = new PickleWriter().proto(2).emptyDict().emptyDict().build().stop().toBytes();
    assertRefused(archiveWithPickle(onDict), /BUILD \(setting object state\) on a dict is not allowed/);
    const p = new PickleWriter().proto(2).emptyDict().str('w');
    writeTensor(p, ONE_TENSOR['w']!).emptyDict().build().setitem().stop();
    assertRefused(archiveWithPickle(p.toBytes(), FOUR_FLOATS), /BUILD \(setting object state\) on a tensor is not allowed/);
  });

  it('opcodes outside the state-dict subset are refused by number', () => {
    // NEWOBJ, INST, OBJ, text PERSID, EXT1, and a byte that is no opcode at all.
    for (const op of [0x81, 0x69, 0x6f, 0x50, 0x82, 0xff]) {
      const pickle = new PickleWriter().proto(2).emptyTuple().raw(op).stop().toBytes();
      assertRefused(archiveWithPickle(pickle), new RegExp(`opcode 0x${op.toString(16)} is not supported`));
    }
  });

  it('protocols outside 2..5 are refused', () => {
    for (const version of [0, 1, 6]) {
      assertRefused(archiveWithPickle(new PickleWriter().proto(version).none().stop().toBytes()), new RegExp(`protocol ${version} is not supported`));
    }
  });
});

describe('openTorchBin refuses malformed pickles', () => {
  it('a truncated pickle', () => {
    const pickle = stateDictPickle(ONE_TENSOR);
    assertRefused(archiveWithPickle(pickle.subarray(0, pickle.length >> 1), FOUR_FLOATS), /pickle is truncated/);
  });

  it(`deep nesting (100k MARK + EMPTY_LIST) gives a clear error, not a stack overflow`, () => {
    const p = new PickleWriter().proto(2);
    for (let i = 0; i < 100_000; i++) p.mark().emptyList();
    assertRefused(archiveWithPickle(p.toBytes()), new RegExp(`nests deeper than ${MAX_MARK_DEPTH} levels`));
  });

  it('lists nested 100k deep without MARKs are built without recursion, then refused as not a dict', () => {
    const p = new PickleWriter().proto(2);
    for (let i = 0; i < 100_000; i++) p.emptyList();
    for (let i = 1; i < 100_000; i++) p.append();
    assertRefused(archiveWithPickle(p.stop().toBytes()), /data\.pkl holds a list, not a state dict/);
  });

  it('top level not a dict', () => {
    assertRefused(archiveWithPickle(new PickleWriter().proto(2).emptyList().stop().toBytes()), /holds a list, not a state dict/);
    assertRefused(archiveWithPickle(new PickleWriter().proto(2).none().stop().toBytes()), /holds None, not a state dict/);
  });

  it('dict values that are not tensors, and keys that are not strings', () => {
    const intValue = new PickleWriter().proto(2).emptyDict().str('w').int(1).setitem().stop().toBytes();
    assertRefused(archiveWithPickle(intValue), /entry 'w' is an int, not a tensor/);
    const p = new PickleWriter().proto(2).emptyDict().int(7);
    writeTensor(p, ONE_TENSOR['w']!).setitem().stop();
    assertRefused(archiveWithPickle(p.toBytes(), FOUR_FLOATS), /key of type number \(7\); tensor names must be strings/);
  });

  it('a persistent id that does not name a storage class', () => {
    const p = new PickleWriter().proto(2).emptyDict().str('w');
    p.mark().str('storage').str('FloatStorage').str('0').str('cpu').int(4).tuple().persid().setitem().stop();
    assertRefused(archiveWithPickle(p.toBytes(), FOUR_FLOATS), /persistent id names a str where a torch storage class belongs/);
  });

  it('_rebuild_tensor_v2 with a negative size', () => {
    const p = new PickleWriter().proto(2).emptyDict().str('w').global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(4).tuple().persid();
    p.int(0).int(-4).tuple1().int(1).tuple1().bool(false).emptyDict().tuple().reduce().setitem().stop();
    assertRefused(archiveWithPickle(p.toBytes(), FOUR_FLOATS), /_rebuild_tensor_v2: size must hold non-negative integers, got -4/);
  });
});

describe('openTorchBin refuses storages that do not match their tensors', () => {
  it('a persistent id naming a storage entry the archive lacks', () => {
    const pickle = stateDictPickle({ w: { storageKey: '7', storageNumel: 4, shape: [4] } });
    assertRefused(archiveWithPickle(pickle, FOUR_FLOATS), /storage '7' is missing: the archive has no entry 'archive\/data\/7'/);
  });

  it('a storage shorter than the tensor view (error names tensor and storage)', () => {
    const pickle = stateDictPickle({ 'bert.w': { storageKey: '0', storageNumel: 4, offset: 2, shape: [2, 2] } });
    assertRefused(archiveWithPickle(pickle, FOUR_FLOATS), /tensor 'bert\.w' \(shape \[2, 2\], stride \[2, 1\], offset 2\) reaches element 6 of storage '0', which holds only 4/);
  });

  it('a storage entry whose size disagrees with the declared element count', () => {
    const pickle = stateDictPickle({ w: { storageKey: '0', storageNumel: 8, shape: [8] } });
    assertRefused(archiveWithPickle(pickle, FOUR_FLOATS), /storage '0' should hold 8 × float32 \(32 bytes\) but 'archive\/data\/0' has 16 bytes/);
  });

  it('one storage key read as two dtypes', () => {
    const pickle = stateDictPickle({
      a: { storageKey: '0', storageNumel: 4, shape: [4] },
      b: { storageKey: '0', storageClass: 'IntStorage', storageNumel: 4, shape: [4] },
    });
    assertRefused(archiveWithPickle(pickle, FOUR_FLOATS), /storage '0' is referenced as 4 × float32 and as 4 × int32/);
  });

  it('a stride-0 view that would repeat a small storage into a huge tensor', () => {
    const pickle = stateDictPickle({ w: { storageKey: '0', storageNumel: 4, shape: [1_000_000_000], stride: [0] } });
    assertRefused(archiveWithPickle(pickle, FOUR_FLOATS), /has more elements than storage '0' \(4\); overlapping views/);
  });

  it('a storage whose bytes fail the CRC check', () => {
    const archive = torchArchive({
      pickle: stateDictPickle(ONE_TENSOR),
      extra: [{ name: 'archive/data/0', data: float32Bytes([1, 2, 3, 4]), declaredCrc: 1234 }],
    });
    assertRefused(writeFile(archive), /entry 'archive\/data\/0' fails its CRC-32 check/);
  });

  it('big-endian archives', () => {
    const archive = torchArchive({
      pickle: stateDictPickle(ONE_TENSOR),
      storages: FOUR_FLOATS,
      extra: [{ name: 'archive/byteorder', data: new TextEncoder().encode('big') }],
    });
    assertRefused(writeFile(archive), /tensors are stored in 'big' byte order/);
  });
});

describe('openTorchBin refuses hostile or broken archives', () => {
  const pickle = stateDictPickle(ONE_TENSOR);

  it("an entry name with a '../' segment", () => {
    const archive = torchArchive({ pickle, storages: FOUR_FLOATS, extra: [{ name: 'archive/../../etc/cron.d/evil', data: new Uint8Array(1) }] });
    assertRefused(writeFile(archive), /ZIP entry name "archive\/\.\.\/\.\.\/etc\/cron\.d\/evil" contains a '\.\.' segment/);
  });

  it('absolute entry names', () => {
    for (const name of ['/etc/passwd', 'C:/Windows/evil', 'archive\\..\\evil']) {
      const archive = torchArchive({ pickle, storages: FOUR_FLOATS, extra: [{ name, data: new Uint8Array(1) }] });
      assertRefused(writeFile(archive), /is an absolute path or contains a backslash/);
    }
  });

  it('duplicate entry names', () => {
    const archive = torchArchive({ pickle, storages: FOUR_FLOATS, extra: [{ name: 'archive/data/0', data: float32Bytes([9, 9, 9, 9]) }] });
    assertRefused(writeFile(archive), /ZIP entry 'archive\/data\/0' appears twice/);
  });

  it('a zip bomb: deflated entry that inflates past its declared size', () => {
    const bomb = new Uint8Array(16 * 1024 * 1024);
    const archive = writeZip([{ name: 'archive/data.pkl', data: bomb, deflate: true, declaredSize: 1000 }]);
    assertRefused(writeFile(archive), /entry 'archive\/data\.pkl' inflates to more than its declared 1000 bytes \(corrupt, or a zip bomb\)/);
  });

  it('a deflated entry declaring a huge size is refused before inflating', () => {
    const archive = writeZip([{ name: 'archive/data.pkl', data: pickle, deflate: true, declaredSize: 0xfffffff0 }]);
    assertRefused(writeFile(archive), /declares 4294967280 bytes uncompressed, more than the \d+ allowed for a compressed entry \(possible zip bomb\)/);
  });

  it('a deflated entry declaring more than it holds', () => {
    const archive = writeZip([{ name: 'archive/data.pkl', data: pickle, deflate: true, declaredSize: pickle.length + 10 }]);
    assertRefused(writeFile(archive), new RegExp(`inflates to ${pickle.length} bytes but declares ${pickle.length + 10}`));
  });

  it('a data.pkl larger than any state dict needs', () => {
    const archive = writeZip([{ name: 'archive/data.pkl', data: pickle, deflate: true, declaredSize: 512 * 1024 * 1024 }]);
    assertRefused(writeFile(archive), /archive\/data\.pkl is 536870912 bytes, more than the \d+ a state dict needs/);
  });

  it('a truncated archive', () => {
    const archive = torchArchive({ pickle, storages: FOUR_FLOATS });
    for (const keep of [archive.length - 1, archive.length >> 1, 10]) {
      assertRefused(writeFile(archive.subarray(0, keep)), /not a ZIP archive|truncated/);
    }
  });

  it('not a zip at all, or an empty file', () => {
    assertRefused(writeFile(new TextEncoder().encode('<html>404 Not Found</html>\n'.repeat(4))), /not a ZIP archive, or a truncated one/);
    assertRefused(writeFile(new Uint8Array(0)), /not a ZIP archive \(only 0 bytes\)/);
  });

  it("torch's legacy (pre-1.6) format gets its own message", () => {
    const legacy = new PickleWriter().proto(2).int(0x1950a86a20f9469cfc6cn).stop().toBytes();
    assertRefused(writeFile(legacy), /legacy serialization format \(torch < 1\.6\) is not supported/);
  });

  it('a zip without data.pkl, or with two', () => {
    assertRefused(writeFile(writeZip([{ name: 'model/weights', data: new Uint8Array(4) }])), /not a torch checkpoint: the ZIP archive has no '<folder>\/data\.pkl'/);
    const two = torchArchive({ pickle, storages: FOUR_FLOATS, extra: [{ name: 'other/data.pkl', data: pickle }] });
    assertRefused(writeFile(two), /several pickles \(archive\/data\.pkl, other\/data\.pkl\)/);
  });

  it('a central directory pointing past the end of the file', () => {
    const archive = torchArchive({ pickle, storages: FOUR_FLOATS });
    const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
    view.setUint32(archive.length - 6, archive.length + 100, true);
    assertRefused(writeFile(archive), /central directory lies beyond the end of the archive/);
  });

  it('a missing file', () => {
    assertRefused(path.join(scratch.root, 'no-such-file.bin'), /cannot open the file \(ENOENT/);
  });
});
