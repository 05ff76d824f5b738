import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openTorchBin } from '../../src/checkpoint/torch-bin.js';
import type { StateDict } from '../../src/checkpoint/types.js';
import { CheckpointError } from '../../src/errors.js';
import { toFloat32 } from '../../src/tensor.js';
import { PickleWriter } from '../helpers/pickle-writer.js';
import { ScratchDir, float32Bytes, stateDictPickle, torchArchive, writeTensor, type ArchiveParts } from '../helpers/torch-checkpoint.js';

const scratch = new ScratchDir();
after(() => scratch.remove());

let fileCount = 0;
function open(parts: ArchiveParts): StateDict {
  return openTorchBin(scratch.write(`views-${fileCount++}.bin`, torchArchive(parts)));
}

function floats(state: StateDict, key: string): number[] {
  const tensor = state.tensors.get(key);
  assert.ok(tensor, `${key} present`);
  return [...toFloat32(tensor)];
}

const SIX = { '0': float32Bytes([0, 1, 2, 3, 4, 5]) };

describe('openTorchBin tensor views', () => {
  it('materializes a transposed (non-contiguous) view in row-major order', () => {
    // Storage holds [[0,1,2],[3,4,5]]; the view is its transpose, shape [3,2], stride [1,3].
    const state = open({ pickle: stateDictPickle({ t: { storageKey: '0', storageNumel: 6, shape: [3, 2], stride: [1, 3] } }), storages: SIX });
    assert.deepEqual(state.tensors.get('t')!.shape, [3, 2]);
    assert.deepEqual(floats(state, 't'), [0, 3, 1, 4, 2, 5]);
    state.close();
  });

  it('materializes a strided 3-d view with an offset', () => {
    const storage = float32Bytes(Array.from({ length: 24 }, (_, i) => i));
    // Every second element of rows 1.. of a [2,3,4] block: shape [2,2,2], stride [12,4,2], offset 4.
    const pickle = stateDictPickle({ t: { storageKey: '0', storageNumel: 24, offset: 4, shape: [2, 2, 2], stride: [12, 4, 2] } });
    const state = open({ pickle, storages: { '0': storage } });
    assert.deepEqual(floats(state, 't'), [4, 6, 8, 10, 16, 18, 20, 22]);
    state.close();
  });

  it('gives several tensors their own slices of one shared storage', () => {
    const pickle = stateDictPickle({
      head: { storageKey: '0', storageNumel: 6, shape: [2] },
      tail: { storageKey: '0', storageNumel: 6, offset: 2, shape: [2, 2] },
      tied: { storageKey: '0', storageNumel: 6, shape: [6] },
    });
    const state = open({ pickle, storages: SIX });
    assert.deepEqual(floats(state, 'head'), [0, 1]);
    assert.deepEqual(floats(state, 'tail'), [2, 3, 4, 5]);
    assert.deepEqual(floats(state, 'tied'), [0, 1, 2, 3, 4, 5]);
    state.close();
  });

  it('handles zero-size and scalar tensors', () => {
    const pickle = stateDictPickle({
      empty: { storageKey: '0', storageNumel: 0, shape: [0, 64] },
      scalar: { storageKey: '1', storageNumel: 1, shape: [] },
    });
    const state = open({ pickle, storages: { '0': new Uint8Array(0), '1': float32Bytes([7]) } });
    assert.deepEqual(state.tensors.get('empty')!.shape, [0, 64]);
    assert.equal(state.tensors.get('empty')!.bytes().length, 0);
    assert.deepEqual(state.tensors.get('scalar')!.shape, []);
    assert.deepEqual(floats(state, 'scalar'), [7]);
    state.close();
  });

  it('maps every storage class to its dtype', () => {
    const classes = { DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16', LongStorage: 'int64', IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8', BoolStorage: 'bool' } as const;
    const sizes = { float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 } as const;
    const specs = Object.fromEntries(Object.keys(classes).map((cls, i) => [cls, { storageKey: String(i), storageClass: cls, storageNumel: 3, shape: [3] }]));
    const storages = Object.fromEntries(Object.values(classes).map((dtype, i) => [String(i), new Uint8Array(3 * sizes[dtype]).fill(i + 1)]));
    const state = open({ pickle: stateDictPickle(specs), storages });
    Object.entries(classes).forEach(([cls, dtype], i) => {
      const tensor = state.tensors.get(cls)!;
      assert.equal(tensor.dtype, dtype);
      assert.deepEqual([...tensor.bytes()], new Array(3 * sizes[dtype]).fill(i + 1));
    });
    state.close();
  });

  it('unwraps nn.Parameter (torch._utils._rebuild_parameter)', () => {
    const state = open({ pickle: stateDictPickle({ p: { storageKey: '0', storageNumel: 6, shape: [6], asParameter: true } }), storages: SIX });
    assert.deepEqual(floats(state, 'p'), [0, 1, 2, 3, 4, 5]);
    state.close();
  });

  it('accepts an OrderedDict with _metadata set through BUILD, as torch.save(model.state_dict()) writes', () => {
    const p = new PickleWriter().proto(2).global('collections', 'OrderedDict').put(0).emptyTuple().reduce().put(1).mark();
    writeTensor(p.str('a.weight'), { storageKey: '0', storageNumel: 6, shape: [2, 3] });
    p.setitems();
    // state = {'_metadata': OrderedDict({'': {'version': 1}})}
    p.emptyDict().str('_metadata').get(0).emptyTuple().reduce().str('').emptyDict().str('version').int(1).setitem().setitem().setitem();
    p.build().stop();
    const state = open({ pickle: p.toBytes(), storages: SIX });
    assert.deepEqual([...state.tensors.keys()], ['a.weight']);
    assert.deepEqual(floats(state, 'a.weight'), [0, 1, 2, 3, 4, 5]);
    state.close();
  });

  it('reads protocol-4 pickles (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL)', () => {
    const p = new PickleWriter().proto(4).frame(0).emptyDict().memoize().str('w').memoize();
    p.str('torch._utils').str('_rebuild_tensor_v2').stackGlobal().memoize().mark();
    p.mark().str('storage').str('torch').str('FloatStorage').stackGlobal().str('0').str('cpu').int(6).tuple().persid();
    p.int(0).int(6).tuple1().int(1).tuple1().bool(false).emptyDict().tuple().reduce().setitem().stop();
    const state = open({ pickle: p.toBytes(), storages: SIX });
    assert.deepEqual(floats(state, 'w'), [0, 1, 2, 3, 4, 5]);
    state.close();
  });

  it('finds data.pkl under any folder name, and reads deflated and ZIP64 archives', () => {
    const pickle = stateDictPickle({ w: { storageKey: '0', storageNumel: 6, shape: [6] } });
    for (const folder of ['pytorch_model', 'archive', 'my-model.v2']) {
      const state = open({ pickle, storages: SIX, folder });
      assert.deepEqual(floats(state, 'w'), [0, 1, 2, 3, 4, 5]);
      state.close();
    }
    const zip64 = open({ pickle, storages: SIX, zip: { zip64: true } });
    assert.deepEqual(floats(zip64, 'w'), [0, 1, 2, 3, 4, 5]);
    zip64.close();
    const deflated = open({ pickle, extra: [{ name: 'archive/data/0', data: SIX['0'], deflate: true }] });
    assert.deepEqual(floats(deflated, 'w'), [0, 1, 2, 3, 4, 5]);
    deflated.close();
  });

  it('refuses to read bytes after close()', () => {
    const state = open({ pickle: stateDictPickle({ w: { storageKey: '0', storageNumel: 6, shape: [6] } }), storages: SIX });
    const tensor = state.tensors.get('w')!;
    state.close();
    state.close();
    assert.throws(() => tensor.bytes(), (err: unknown) => err instanceof CheckpointError && /after the state dict was closed/.test(err.message));
  });
});
