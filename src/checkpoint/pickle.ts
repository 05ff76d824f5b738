import { CheckpointError } from '../errors.js';
import { PickleRefusal } from './refusal.js';

/**
 * A restricted unpickler: the binary opcodes of protocols 2 to 5 that a torch state dict uses,
 * and nothing that can reach Python. GLOBAL/STACK_GLOBAL resolve only names in the caller's
 * allow-list, each bound to a JS implementation; REDUCE calls only those; BUILD applies only to
 * objects they made. Everything else is refused at the opcode that asks for it, before anything
 * further is read, so a hostile pickle fails where it starts to be hostile.
 * The machine is a loop over an explicit stack (no recursion), with its sizes bounded.
 */

/** torch's pickler batches SETITEMS by 1000; even an unbatched state dict needs two per tensor. */
export const MAX_STACK_ITEMS = 1 << 18;
/** Open MARKs at once; a state dict needs three or four. */
export const MAX_MARK_DEPTH = 1000;
export const MAX_MEMO_ENTRIES = 1 << 20;
/** GLOBAL names are short dotted identifiers. */
const MAX_GLOBAL_LINE_BYTES = 512;

export type PickleKey = string | number | bigint | boolean | null;
export type PickleDict = Map<PickleKey, PickleValue>;
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | PickleDict
  | GlobalRef
  | PickleObject;

export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** Made by an allow-listed global or the persistent-id hook; the unpickler only moves it around. */
export abstract class PickleObject {
  /** For error messages, e.g. "storage '3'". */
  abstract readonly description: string;
}

/** The JS stand-in for an allow-listed Python function or class that REDUCE may call. */
export interface PickleCallable {
  readonly call: (args: readonly PickleValue[]) => PickleValue;
  /** What BUILD runs on an object `call` made. Absent: BUILD on such objects is refused. */
  readonly build?: (target: PickleValue, state: PickleValue) => void;
}

/** An allow-listed global is either callable, or a plain value that is only referred to (e.g. a storage class). */
export type PickleGlobal = PickleCallable | PickleObject;

/** A resolved callable GLOBAL on the stack. */
export class GlobalRef {
  constructor(
    readonly name: string,
    readonly impl: PickleCallable,
  ) {}
}

export interface UnpickleOptions {
  /** For error messages: the archive and the pickle's entry in it. */
  readonly file: string;
  readonly entryName: string;
  /** Keyed by "module.name". Nothing outside this map can be named. */
  readonly globals: ReadonlyMap<string, PickleGlobal>;
  /** BINPERSID; may throw an Error whose message is meant for the user. */
  readonly persistentLoad: (pid: PickleValue) => PickleValue;
}

export function unpickle(data: Uint8Array, options: UnpickleOptions): PickleValue {
  return new Unpickler(data, options).run();
}

/** A short type name for error messages; never walks into containers. */
export function describePickleValue(value: PickleValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'a bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an int' : 'a float';
  if (typeof value === 'bigint') return 'an int';
  if (typeof value === 'string') return 'a str';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof PickleTuple) return `a ${value.items.length}-tuple`;
  if (value instanceof Map) return 'a dict';
  if (value instanceof GlobalRef) return `the global ${value.name}`;
  return value.description;
}

/** Thrown inside the loop; `run` adds the file, entry and byte position. */
const Refusal = PickleRefusal;

const OP = {
  MARK: 0x28, STOP: 0x2e, EMPTY_TUPLE: 0x29, EMPTY_LIST: 0x5d, EMPTY_DICT: 0x7d,
  TUPLE: 0x74, TUPLE1: 0x85, TUPLE2: 0x86, TUPLE3: 0x87,
  APPEND: 0x61, APPENDS: 0x65, SETITEM: 0x73, SETITEMS: 0x75,
  BININT: 0x4a, BININT1: 0x4b, BININT2: 0x4d, LONG1: 0x8a, BINFLOAT: 0x47,
  NONE: 0x4e, NEWTRUE: 0x88, NEWFALSE: 0x89,
  BINUNICODE: 0x58, SHORT_BINUNICODE: 0x8c, BINUNICODE8: 0x8d, BINBYTES: 0x42, SHORT_BINBYTES: 0x43,
  BINPUT: 0x71, LONG_BINPUT: 0x72, BINGET: 0x68, LONG_BINGET: 0x6a, MEMOIZE: 0x94,
  GLOBAL: 0x63, STACK_GLOBAL: 0x93, REDUCE: 0x52, BUILD: 0x62, BINPERSID: 0x51,
  PROTO: 0x80, FRAME: 0x95,
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Unpickler {
  private pos = 0;
  private readonly view: DataView;
  private readonly stack: PickleValue[] = [];
  /** Stack heights at each open MARK. */
  private readonly marks: number[] = [];
  /** Indexed by memo key; `undefined` marks an unset slot (None is `null`). */
  private readonly memo: (PickleValue | undefined)[] = [];
  private memoCount = 0;
  /** Which global made each object, so BUILD can ask that global whether it accepts state. */
  private readonly madeBy = new WeakMap<object, GlobalRef>();

  constructor(
    private readonly data: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  run(): PickleValue {
    let opStart = 0;
    try {
      for (;;) {
        opStart = this.pos;
        const done = this.step(this.u8());
        if (done !== undefined) return done.value;
      }
    } catch (err) {
      if (err instanceof CheckpointError) throw err;
      const problem = err instanceof Error ? err.message : String(err);
      const cause = err instanceof PickleRefusal ? undefined : err;
      throw new CheckpointError(this.options.file, `${this.options.entryName} at byte ${opStart}: ${problem}`, cause);
    }
  }

  /** Executes one opcode; returns the result at STOP. */
  private step(op: number): { value: PickleValue } | undefined {
    switch (op) {
      case OP.PROTO: {
        const version = this.u8();
        if (version < 2 || version > 5) throw new Refusal(`pickle protocol ${version} is not supported (only 2 to 5)`);
        return undefined;
      }
      case OP.FRAME: {
        // Frames only tell a streaming reader how much to buffer; the data is all here already.
        const length = this.u64();
        if (length > this.data.length - this.pos) throw new Refusal('pickle is truncated (frame runs past the end)');
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
      case OP.EMPTY_DICT: return this.push(new Map());
      case OP.EMPTY_LIST: return this.push([]);
      case OP.EMPTY_TUPLE: return this.push(new PickleTuple([]));
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
      case OP.BININT: return this.push(this.take(4, (v, at) => v.getInt32(at, true)));
      case OP.BININT1: return this.push(this.u8());
      case OP.BININT2: return this.push(this.take(2, (v, at) => v.getUint16(at, true)));
      case OP.LONG1: return this.push(this.long(this.u8()));
      case OP.BINFLOAT: return this.push(this.take(8, (v, at) => v.getFloat64(at, false)));
      case OP.NONE: return this.push(null);
      case OP.NEWTRUE: return this.push(true);
      case OP.NEWFALSE: return this.push(false);
      case OP.BINUNICODE: return this.push(this.text(this.u32()));
      case OP.SHORT_BINUNICODE: return this.push(this.text(this.u8()));
      case OP.BINUNICODE8: return this.push(this.text(this.u64()));
      case OP.BINBYTES: return this.push(this.bytes(this.u32()).slice());
      case OP.SHORT_BINBYTES: return this.push(this.bytes(this.u8()).slice());
      case OP.BINPUT: return this.put(this.u8());
      case OP.LONG_BINPUT: return this.put(this.u32());
      case OP.MEMOIZE: return this.put(this.memoCount);
      case OP.BINGET: return this.get(this.u8());
      case OP.LONG_BINGET: return this.get(this.u32());
      case OP.GLOBAL: {
        const module = this.line();
        return this.push(this.resolveGlobal(module, this.line()));
      }
      case OP.STACK_GLOBAL: {
        const [module, name] = this.popN(2);
        if (typeof module !== 'string' || typeof name !== 'string') throw new Refusal('STACK_GLOBAL needs two strings');
        return this.push(this.resolveGlobal(module, name));
      }
      case OP.REDUCE: {
        const [callable, args] = this.popN(2) as [PickleValue, PickleValue];
        if (!(callable instanceof GlobalRef)) throw new Refusal(`REDUCE on ${describePickleValue(callable)} is not allowed; only allow-listed functions can be called`);
        if (!(args instanceof PickleTuple)) throw new Refusal(`REDUCE needs a tuple of arguments for ${callable.name}, got ${describePickleValue(args)}`);
        const result = callable.impl.call(args.items);
        if (typeof result === 'object' && result !== null) this.madeBy.set(result, callable);
        return this.push(result);
      }
      case OP.BUILD: {
        const state = this.pop();
        const target = this.top();
        const maker = typeof target === 'object' && target !== null ? this.madeBy.get(target) : undefined;
        if (maker?.impl.build === undefined) throw new Refusal(`BUILD (setting object state) on ${describePickleValue(target)} is not allowed`);
        maker.impl.build(target, state);
        return undefined;
      }
      case OP.BINPERSID: return this.push(this.options.persistentLoad(this.pop()));
      default:
        throw new Refusal(`opcode 0x${op.toString(16).padStart(2, '0')} is not supported by the restricted unpickler; this is not a plain torch state dict`);
    }
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

  private take<T>(length: number, read: (view: DataView, at: number) => T): T {
    if (length > this.data.length - this.pos) throw new Refusal(`pickle is truncated (needs ${length} more bytes, has ${this.data.length - this.pos})`);
    const value = read(this.view, this.pos);
    this.pos += length;
    return value;
  }

  private u8(): number {
    return this.take(1, (v, at) => v.getUint8(at));
  }

  private u32(): number {
    return this.take(4, (v, at) => v.getUint32(at, true));
  }

  private u64(): number {
    const value = this.take(8, (v, at) => v.getBigUint64(at, true));
    // Anything this large is longer than the pickle itself; clamp so the length check refuses it.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }

  private bytes(length: number): Uint8Array {
    return this.take(length, (_, at) => this.data.subarray(at, at + length));
  }

  private text(length: number): string {
    const raw = this.bytes(length);
    try {
      return utf8.decode(raw);
    } catch {
      throw new Refusal('string is not valid UTF-8');
    }
  }

  /** GLOBAL's newline-terminated operands. */
  private line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) throw new Refusal('pickle is truncated (GLOBAL name has no end)');
    if (end - this.pos > MAX_GLOBAL_LINE_BYTES) throw new Refusal(`GLOBAL name is longer than ${MAX_GLOBAL_LINE_BYTES} bytes`);
    return this.text(end - this.pos + 1).slice(0, -1);
  }

  /** LONG1: little-endian two's complement; a number when it fits exactly, else a bigint. */
  private long(length: number): number | bigint {
    const raw = this.bytes(length);
    let value = 0n;
    for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]!);
    if (length > 0 && raw[length - 1]! & 0x80) value -= 1n << BigInt(8 * length);
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
}
