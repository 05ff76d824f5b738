import { CheckpointError } from '../errors.js';
import { OP } from './pickle-opcodes.js';
import { PickleInput, Refusal } from './pickle-input.js';
import {
  GlobalRef, PickleObject, PickleTuple, describePickleValue,
  type PickleDict, type PickleGlobal, type PickleKey, type PickleValue,
} from './pickle-values.js';

/** torch's pickler batches SETITEMS by 1000; even an unbatched state dict needs two per tensor. */
export const MAX_STACK_ITEMS = 1 << 18;
/** Open MARKs at once; a state dict needs three or four. */
export const MAX_MARK_DEPTH = 1000;
export const MAX_MEMO_ENTRIES = 1 << 20;

export interface UnpickleOptions {
  /** For error messages: the archive and the pickle's entry in it. */
  readonly file: string;
  readonly entryName: string;
  /** Keyed by "module.name". Nothing outside this map can be named. */
  readonly globals: ReadonlyMap<string, PickleGlobal>;
  /** BINPERSID; may throw an Error whose message is meant for the user. */
  readonly persistentLoad: (pid: PickleValue) => PickleValue;
}

/** The machine: a loop over an explicit stack (no recursion), with its sizes bounded. */
export class Unpickler {
  private readonly input: PickleInput;
  private readonly stack: PickleValue[] = [];
  /** Stack heights at each open MARK. */
  private readonly marks: number[] = [];
  /** Indexed by memo key; `undefined` marks an unset slot (None is `null`). */
  private readonly memo: (PickleValue | undefined)[] = [];
  private memoCount = 0;
  /** Which global made each object, so BUILD can ask that global whether it accepts state. */
  private readonly madeBy = new WeakMap<object, GlobalRef>();

  constructor(
    data: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.input = new PickleInput(data);
  }

  run(): PickleValue {
    let opStart = 0;
    try {
      for (;;) {
        opStart = this.input.position;
        const done = this.step(this.input.u8());
        if (done !== undefined) return done.value;
      }
    } catch (err) {
      if (err instanceof CheckpointError) throw err;
      const problem = err instanceof Error ? err.message : String(err);
      const cause = err instanceof Refusal ? undefined : err;
      throw new CheckpointError(this.options.file, `${this.options.entryName} at byte ${opStart}: ${problem}`, cause);
    }
  }

  /** Executes one opcode; returns the result at STOP. Opcodes that only push a value are in `literal`. */
  private step(op: number): { value: PickleValue } | undefined {
    const input = this.input;
    switch (op) {
      case OP.PROTO: {
        const version = input.u8();
        if (version < 2 || version > 5) throw new Refusal(`pickle protocol ${version} is not supported (only 2 to 5)`);
        return undefined;
      }
      case OP.FRAME: {
        // Frames only tell a streaming reader how much to buffer; the data is all here already.
        const length = input.u64();
        if (length > input.remaining) throw new Refusal('pickle is truncated (frame runs past the end)');
        return undefined;
      }
      case OP.STOP: {
        const value = this.pop();
        if (this.marks.length > 0 || this.stack.length > 0) throw new Refusal('pickle stops with unconsumed values on its stack; it is malformed');
        return { value };
      }
      case OP.MARK:
        if (this.marks.length >= MAX_MARK_DEPTH) throw new Refusal(`pickle nests deeper than ${MAX_MARK_DEPTH} levels; refusing it`);
        this.marks.push(this.stack.length);
        return undefined;
      case OP.TUPLE: return this.push(new PickleTuple(this.popMark()));
      case OP.TUPLE1: return this.push(new PickleTuple(this.popN(1)));
      case OP.TUPLE2: return this.push(new PickleTuple(this.popN(2)));
      case OP.TUPLE3: return this.push(new PickleTuple(this.popN(3)));
      case OP.APPEND: {
        const value = this.pop();
        this.listOnTop().push(value);
        return undefined;
      }
      case OP.APPENDS: {
        const values = this.popMark();
        const list = this.listOnTop();
        for (const v of values) list.push(v);
        return undefined;
      }
      case OP.SETITEM: {
        const [key, value] = this.popN(2) as [PickleValue, PickleValue];
        this.dictOnTop().set(this.dictKey(key), value);
        return undefined;
      }
      case OP.SETITEMS: {
        const items = this.popMark();
        if (items.length % 2 !== 0) throw new Refusal('SETITEMS has an odd number of items');
        const dict = this.dictOnTop();
        for (let i = 0; i < items.length; i += 2) dict.set(this.dictKey(items[i]!), items[i + 1]!);
        return undefined;
      }
      case OP.BINPUT: return this.put(input.u8());
      case OP.LONG_BINPUT: return this.put(input.u32());
      case OP.MEMOIZE: return this.put(this.memoCount);
      case OP.BINGET: return this.get(input.u8());
      case OP.LONG_BINGET: return this.get(input.u32());
      case OP.GLOBAL: {
        const module = input.line();
        return this.push(this.resolveGlobal(module, input.line()));
      }
      case OP.STACK_GLOBAL: {
        const [module, name] = this.popN(2);
        if (typeof module !== 'string' || typeof name !== 'string') throw new Refusal('STACK_GLOBAL needs two strings');
        return this.push(this.resolveGlobal(module, name));
      }
      case OP.REDUCE: return this.reduce();
      case OP.BUILD: return this.build();
      case OP.BINPERSID: return this.push(this.options.persistentLoad(this.pop()));
      default: return this.push(this.literal(op));
    }
  }

  /** The one value a plain push opcode makes (from its operand, or a fresh empty container); any other opcode `step` left is refused. */
  private literal(op: number): PickleValue {
    const input = this.input;
    switch (op) {
      case OP.EMPTY_DICT: return new Map();
      case OP.EMPTY_LIST: return [];
      case OP.EMPTY_TUPLE: return new PickleTuple([]);
      case OP.BININT: return input.take(4, (v, at) => v.getInt32(at, true));
      case OP.BININT1: return input.u8();
      case OP.BININT2: return input.take(2, (v, at) => v.getUint16(at, true));
      case OP.LONG1: return input.long(input.u8());
      case OP.BINFLOAT: return input.take(8, (v, at) => v.getFloat64(at, false));
      case OP.NONE: return null;
      case OP.NEWTRUE: return true;
      case OP.NEWFALSE: return false;
      case OP.BINUNICODE: return input.text(input.u32());
      case OP.SHORT_BINUNICODE: return input.text(input.u8());
      case OP.BINUNICODE8: return input.text(input.u64());
      case OP.BINBYTES: return input.bytes(input.u32()).slice();
      case OP.SHORT_BINBYTES: return input.bytes(input.u8()).slice();
      default:
        throw new Refusal(`opcode 0x${op.toString(16).padStart(2, '0')} is not supported by the restricted unpickler; this is not a plain torch state dict`);
    }
  }

  private reduce(): undefined {
    const [callable, args] = this.popN(2) as [PickleValue, PickleValue];
    if (!(callable instanceof GlobalRef)) {
      throw new Refusal(`REDUCE on ${describePickleValue(callable)} is not allowed; only allow-listed functions can be called`);
    }
    if (!(args instanceof PickleTuple)) throw new Refusal(`REDUCE needs a tuple of arguments for ${callable.name}, got ${describePickleValue(args)}`);
    const result = callable.impl.call(args.items);
    if (typeof result === 'object' && result !== null) this.madeBy.set(result, callable);
    return this.push(result);
  }

  private build(): undefined {
    const state = this.pop();
    const target = this.top();
    const maker = typeof target === 'object' && target !== null ? this.madeBy.get(target) : undefined;
    if (maker?.impl.build === undefined) throw new Refusal(`BUILD (setting object state) on ${describePickleValue(target)} is not allowed`);
    maker.impl.build(target, state);
    return undefined;
  }

  private resolveGlobal(module: string, name: string): GlobalRef | PickleObject {
    const qualified = `${module}.${name}`;
    const impl = this.options.globals.get(qualified);
    if (impl === undefined) {
      throw new Refusal(
        `refused global ${JSON.stringify(qualified)}: only the torch state-dict globals on albench's allow-list may be loaded ` +
          '(the file may be malicious, or hold more than tensors; re-save it as safetensors with a tool you trust)',
      );
    }
    return impl instanceof PickleObject ? impl : new GlobalRef(qualified, impl);
  }

  private push(value: PickleValue): undefined {
    if (this.stack.length >= MAX_STACK_ITEMS) throw new Refusal(`pickle stack grows past ${MAX_STACK_ITEMS} items; refusing it`);
    this.stack.push(value);
    return undefined;
  }

  /** Items above the innermost MARK are all that may be popped, as in Python's unpickler. */
  private floor(): number {
    return this.marks.length > 0 ? this.marks[this.marks.length - 1]! : 0;
  }

  private pop(): PickleValue {
    if (this.stack.length <= this.floor()) throw new Refusal('pickle stack underflow; the pickle is malformed');
    return this.stack.pop()!;
  }

  private top(): PickleValue {
    if (this.stack.length <= this.floor()) throw new Refusal('pickle stack underflow; the pickle is malformed');
    return this.stack[this.stack.length - 1]!;
  }

  private popN(n: number): PickleValue[] {
    if (this.stack.length - n < this.floor()) throw new Refusal('pickle stack underflow; the pickle is malformed');
    return this.stack.splice(this.stack.length - n, n);
  }

  private popMark(): PickleValue[] {
    const height = this.marks.pop();
    if (height === undefined) throw new Refusal('pickle uses a MARK that was never set; it is malformed');
    return this.stack.splice(height);
  }

  private listOnTop(): PickleValue[] {
    const list = this.top();
    if (!Array.isArray(list)) throw new Refusal(`APPEND on ${describePickleValue(list)}, not a list`);
    return list;
  }

  private dictOnTop(): PickleDict {
    const dict = this.top();
    if (!(dict instanceof Map)) throw new Refusal(`SETITEM on ${describePickleValue(dict)}, not a dict`);
    return dict;
  }

  /** JS Maps compare objects by identity, so only value-like keys keep Python's dict meaning. */
  private dictKey(key: PickleValue): PickleKey {
    if (key === null || typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return key;
    throw new Refusal(`dict key ${describePickleValue(key)} is not supported (only str, int, float, bool, None)`);
  }

  /** Picklers number memo entries from 0, so bounding the index bounds the memo. */
  private put(index: number): undefined {
    if (index >= MAX_MEMO_ENTRIES) throw new Refusal(`pickle memo index ${index} is beyond the ${MAX_MEMO_ENTRIES} allowed; refusing it`);
    const value = this.top();
    if (this.memo[index] === undefined) this.memoCount++;
    this.memo[index] = value;
    return undefined;
  }

  private get(index: number): undefined {
    const value = index < this.memo.length ? this.memo[index] : undefined;
    if (value === undefined) throw new Refusal(`memo entry ${index} is used before it is set; the pickle is malformed`);
    return this.push(value);
  }
}
