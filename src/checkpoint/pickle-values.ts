export type PickleKey = string | number | bigint | boolean | null;
export type PickleDict = Map<PickleKey, PickleValue>;
/** Everything a restricted pickle can hold once loaded. */
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
