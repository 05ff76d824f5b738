import type { DType } from '../tensor.js';
import { PickleObject, PickleTuple, describePickleValue, type PickleGlobal, type PickleValue } from './pickle.js';
import type { ZipEntry } from './zip.js';

/**
 * The allow-list of Python globals a torch state dict may name (the same idea as torch's
 * `weights_only=True`), each bound to a JS stand-in that builds plain data. Nothing else can be
 * named, so nothing else can run.
 */

/** A `torch.<Type>Storage` class, named in persistent ids to give the storage's dtype. */
export class StorageClass extends PickleObject {
  readonly description: string;
  constructor(
    name: string,
    readonly dtype: DType,
  ) {
    super();
    this.description = `the storage class ${name}`;
  }
}

/** One `data/<key>` record of the archive, typed by the storage class that names it. */
export class TorchStorage extends PickleObject {
  readonly description: string;
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly numel: number,
    readonly entry: ZipEntry,
  ) {
    super();
    this.description = `storage '${key}'`;
  }
}

/** What `_rebuild_tensor_v2` makes: a strided view of a storage, in elements, not yet checked or read. */
export class TensorView extends PickleObject {
  readonly description = 'a tensor';
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {
    super();
  }
}

const STORAGE_DTYPES: Readonly<Record<string, DType>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

export const TORCH_STATE_DICT_GLOBALS: ReadonlyMap<string, PickleGlobal> = new Map<string, PickleGlobal>([
  // torch.save stores state_dict()._metadata (module versions) through BUILD; we have no use for it.
  ['collections.OrderedDict', { call: newOrderedDict, build: () => undefined }],
  ['torch._utils._rebuild_tensor_v2', { call: rebuildTensorV2 }],
  ['torch._utils._rebuild_parameter', { call: (args) => rebuildParameter('_rebuild_parameter', args, 3) }],
  ['torch._utils._rebuild_parameter_with_state', { call: (args) => rebuildParameter('_rebuild_parameter_with_state', args, 4) }],
  ...Object.entries(STORAGE_DTYPES).map(([name, dtype]): [string, PickleGlobal] => [`torch.${name}`, new StorageClass(`torch.${name}`, dtype)]),
]);

function newOrderedDict(args: readonly PickleValue[]): PickleValue {
  if (args.length !== 0) throw new Error('collections.OrderedDict is only supported with no arguments');
  return new Map();
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])` */
function rebuildTensorV2(args: readonly PickleValue[]): PickleValue {
  const fn = '_rebuild_tensor_v2';
  if (args.length !== 6 && args.length !== 7) throw new Error(`${fn} takes 6 or 7 arguments, got ${args.length}`);
  const [storage, offset, size, stride, requiresGrad, backwardHooks] = args;
  if (!(storage instanceof TorchStorage)) throw new Error(`${fn} needs a storage, got ${describePickleValue(storage ?? null)}`);
  const shape = intTuple(fn, 'size', size);
  const strides = intTuple(fn, 'stride', stride);
  if (strides.length !== shape.length) throw new Error(`${fn}: size has ${shape.length} dims but stride has ${strides.length}`);
  if (typeof requiresGrad !== 'boolean') throw new Error(`${fn}: requires_grad must be a bool`);
  if (!(backwardHooks instanceof Map)) throw new Error(`${fn}: backward_hooks must be a dict`);
  return new TensorView(storage, nonNegativeInt(fn, 'storage_offset', offset ?? null), shape, strides);
}

/** Parameters are saved as their data tensor plus autograd flags, which inference does not need. */
function rebuildParameter(fn: string, args: readonly PickleValue[], arity: number): PickleValue {
  if (args.length !== arity) throw new Error(`${fn} takes ${arity} arguments, got ${args.length}`);
  const data = args[0];
  if (!(data instanceof TensorView)) throw new Error(`${fn} needs a tensor, got ${describePickleValue(data ?? null)}`);
  return data;
}

function intTuple(fn: string, what: string, value: PickleValue | undefined): number[] {
  if (!(value instanceof PickleTuple)) throw new Error(`${fn}: ${what} must be a tuple, got ${describePickleValue(value ?? null)}`);
  return value.items.map((item) => nonNegativeInt(fn, what, item));
}

function nonNegativeInt(fn: string, what: string, value: PickleValue): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    const got = typeof value === 'number' || typeof value === 'bigint' ? String(value) : describePickleValue(value);
    throw new Error(`${fn}: ${what} must hold non-negative integers, got ${got}`);
  }
  return value;
}
