import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_MEMO_ENTRIES, MAX_STACK_ITEMS, PickleTuple, unpickle, type PickleGlobal, type PickleValue } from '../../src/checkpoint/pickle.js';
import { TORCH_STATE_DICT_GLOBALS } from '../../src/checkpoint/torch-globals.js';
import { CheckpointError } from '../../src/errors.js';
import { PickleWriter } from '../helpers/pickle-writer.js';

function load(p: PickleWriter, globals: ReadonlyMap<string, PickleGlobal> = new Map()): PickleValue {
  return unpickle(p.toBytes(), {
    file: 'test.bin',
    entryName: 'archive/data.pkl',
    globals,
    persistentLoad: (pid) => {
      throw new Error(`no persistent ids here (${String(pid)})`);
    },
  });
}

function assertRefused(p: PickleWriter, problem: RegExp): void {
  assert.throws(
    () => load(p),
    (err: unknown) => err instanceof CheckpointError && err.message.startsWith('test.bin: archive/data.pkl at byte ') && problem.test(err.message),
  );
}

describe('unpickle values', () => {
  it('reads ints of every width, negative ones and ones beyond 2^53', () => {
    const p = new PickleWriter().proto(2).mark();
    for (const v of [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, -(2 ** 40), 2 ** 53 - 1]) p.int(v);
    p.int(2n ** 64n).int(-(2n ** 70n)).tuple().stop();
    const result = load(p);
    assert.ok(result instanceof PickleTuple);
    assert.deepEqual(result.items, [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, -(2 ** 40), 2 ** 53 - 1, 2n ** 64n, -(2n ** 70n)]);
  });

  it('reads floats, strings, bytes, None and bools', () => {
    const long = 'é'.repeat(300);
    const p = new PickleWriter().proto(2).mark().float(-1.5e-7).str('ünï').str(long).bytes(Uint8Array.of(1, 2)).none().bool(true).bool(false).tuple().stop();
    const result = load(p) as PickleTuple;
    assert.deepEqual(result.items, [-1.5e-7, 'ünï', long, Uint8Array.of(1, 2), null, true, false]);
  });

  it('builds lists, tuples and dicts, and shares memoized objects', () => {
    const p = new PickleWriter().proto(2).emptyDict().put(0);
    p.str('list').emptyList().put(1).mark().int(1).int(2).appends().int(3).append().setitem();
    p.str('same').get(1).setitem();
    p.str('pairs').int(1).int(2).tuple2().int(3).tuple1().emptyTuple().tuple3().setitem();
    p.mark().str('x').none().str('y').get(0).setitems().stop();
    const result = load(p);
    assert.ok(result instanceof Map);
    assert.deepEqual(result.get('list'), [1, 2, 3]);
    assert.equal(result.get('same'), result.get('list'));
    assert.equal(result.get('y'), result, 'a dict may contain itself, as in Python');
    const pairs = result.get('pairs') as PickleTuple;
    assert.deepEqual(pairs.items.map((t) => (t as PickleTuple).items), [[1, 2], [3], []]);
  });

  it('calls only what the allow-list binds, with the pickled arguments', () => {
    const calls: PickleValue[][] = [];
    const globals = new Map<string, PickleGlobal>([['m.f', { call: (args) => (calls.push([...args]), 'made') }]]);
    const result = load(new PickleWriter().proto(2).global('m', 'f').int(1).str('a').tuple2().reduce().stop(), globals);
    assert.equal(result, 'made');
    assert.deepEqual(calls, [[1, 'a']]);
  });
});

describe('unpickle refuses', () => {
  it('malformed structure', () => {
    assertRefused(new PickleWriter().proto(2).appends(), /MARK that was never set/);
    assertRefused(new PickleWriter().proto(2).append(), /stack underflow/);
    assertRefused(new PickleWriter().proto(2).none().mark().tuple1(), /stack underflow/);
    assertRefused(new PickleWriter().proto(2).none().none().stop(), /unconsumed values/);
    assertRefused(new PickleWriter().proto(2).mark().none().stop(), /unconsumed values/);
    assertRefused(new PickleWriter().proto(2).get(3), /memo entry 3 is used before it is set/);
    assertRefused(new PickleWriter().proto(2).emptyDict().mark().none().setitems(), /odd number of items/);
    assertRefused(new PickleWriter().proto(2).emptyTuple().none().append(), /APPEND on a 0-tuple, not a list/);
    assertRefused(new PickleWriter().proto(2).emptyList().none().none().setitem(), /SETITEM on a list, not a dict/);
    assertRefused(new PickleWriter().proto(2).emptyDict().emptyTuple().none().setitem(), /dict key a 0-tuple is not supported/);
    assertRefused(new PickleWriter().proto(2).int(1).str('x').stackGlobal(), /STACK_GLOBAL needs two strings/);
    assertRefused(new PickleWriter().proto(2).raw(0x8c, 2, 0xff, 0xfe), /not valid UTF-8/);
  });

  it('truncation anywhere, including inside an operand and a FRAME that runs past the end', () => {
    assertRefused(new PickleWriter().proto(2), /truncated/);
    assertRefused(new PickleWriter().proto(2).raw(0x4a, 1, 2), /truncated \(needs 4 more bytes, has 2\)/);
    assertRefused(new PickleWriter().proto(2).raw(0x58, 0xff, 0xff, 0xff, 0x7f, 0x41), /truncated/);
    assertRefused(new PickleWriter().proto(4).frame(1000).none().stop(), /frame runs past the end/);
    assertRefused(new PickleWriter().proto(2).raw(0x63, 0x6f, 0x73), /GLOBAL name has no end/);
  });

  it('an overlong GLOBAL name', () => {
    assertRefused(new PickleWriter().proto(2).global('a'.repeat(1000), 'b'), /GLOBAL name is longer than/);
  });

  it(`a stack of more than ${MAX_STACK_ITEMS} items`, () => {
    const p = new PickleWriter().proto(2);
    for (let i = 0; i <= MAX_STACK_ITEMS; i++) p.none();
    assertRefused(p, new RegExp(`stack grows past ${MAX_STACK_ITEMS} items`));
  });

  it(`memo indices from ${MAX_MEMO_ENTRIES} on`, () => {
    assertRefused(new PickleWriter().proto(2).none().put(MAX_MEMO_ENTRIES), new RegExp(`memo index ${MAX_MEMO_ENTRIES} is beyond`));
    assertRefused(new PickleWriter().proto(2).none().put(0xffffffff), /memo index 4294967295 is beyond/);
  });
});

describe('the torch allow-list', () => {
  it('holds exactly the globals a state dict needs', () => {
    assert.deepEqual([...TORCH_STATE_DICT_GLOBALS.keys()].sort(), [
      'collections.OrderedDict',
      'torch.BFloat16Storage',
      'torch.BoolStorage',
      'torch.ByteStorage',
      'torch.CharStorage',
      'torch.DoubleStorage',
      'torch.FloatStorage',
      'torch.HalfStorage',
      'torch.IntStorage',
      'torch.LongStorage',
      'torch.ShortStorage',
      'torch._utils._rebuild_parameter',
      'torch._utils._rebuild_parameter_with_state',
      'torch._utils._rebuild_tensor_v2',
    ]);
  });

  it('OrderedDict takes no arguments', () => {
    assert.throws(
      () => load(new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyList().tuple1().reduce().stop(), TORCH_STATE_DICT_GLOBALS),
      /OrderedDict is only supported with no arguments/,
    );
  });
});
