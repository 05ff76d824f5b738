import fs from 'node:fs';
import { CheckpointError } from '../errors.js';
import { DTYPE_BYTES, numel, type TensorSource } from '../tensor.js';
import { readRange } from '../util/read-range.js';
import { PickleTuple, describePickleValue, unpickle, type PickleValue } from './pickle.js';
import { gatherStrided, isContiguous, viewSpan } from './strided.js';
import { StorageClass, TORCH_STATE_DICT_GLOBALS, TensorView, TorchStorage } from './torch-globals.js';
import type { StateDict } from './types.js';
import { ZipReader, type ZipEntry } from './zip.js';
import { PickleRefusal } from './refusal.js';

/**
 * Reads `pytorch_model.bin` as torch.save writes it since torch 1.6: a ZIP archive holding
 * `<folder>/data.pkl` (the state dict, pickled, with tensors as persistent-id references) and
 * `<folder>/data/<key>` (each storage's raw little-endian bytes). Only the pickle is read up
 * front, through the restricted unpickler; tensor bytes are read from the file when asked for.
 */

/** data.pkl of the largest published models is a few MB; the tensors live elsewhere. */
const MAX_PICKLE_BYTES = 64 * 1024 * 1024;

/** Legacy torch.save files start with a protocol-2 pickle of a magic number. */
const LEGACY_PICKLE_START = [0x80, 0x02];
const RECORD_PICKLE = /^[^/]+\/data\.pkl$/;

export function openTorchBin(path: string): StateDict {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new CheckpointError(path, `cannot open the file (${errorText(err)})`);
  }
  try {
    return readStateDict(fd, path);
  } catch (err) {
    fs.closeSync(fd);
    throw asCheckpointError(path, err);
  }
}

function readStateDict(fd: number, file: string): StateDict {
  refuseLegacyFormat(fd, file);
  const zip = ZipReader.fromFd(fd, file);
  const folder = recordFolder(zip);
  checkByteOrder(zip, folder);
  const pickleEntry = zip.entries.get(`${folder}/data.pkl`)!;
  if (pickleEntry.size > MAX_PICKLE_BYTES) {
    throw new CheckpointError(file, `${pickleEntry.name} is ${pickleEntry.size} bytes, more than the ${MAX_PICKLE_BYTES} a state dict needs`);
  }
  const storages = new Map<string, TorchStorage>();
  const root = unpickle(zip.read(pickleEntry), {
    file,
    entryName: pickleEntry.name,
    globals: TORCH_STATE_DICT_GLOBALS,
    persistentLoad: (pid) => loadStorage(zip, folder, storages, pid),
  });

  let closed = false;
  const readStorage = (entry: ZipEntry, offset: number, length: number): Uint8Array => {
    // After close the descriptor number may already belong to another file.
    if (closed) throw new CheckpointError(file, 'tensor bytes requested after the state dict was closed');
    return zip.read(entry, offset, length);
  };
  const tensors = new Map<string, TensorSource>();
  for (const [key, view] of stateDictViews(file, root)) {
    checkViewFitsStorage(file, key, view);
    tensors.set(key, lazyTensor(file, view, readStorage));
  }
  return {
    file,
    tensors,
    close() {
      if (closed) return;
      closed = true;
      fs.closeSync(fd);
    },
  };
}

function refuseLegacyFormat(fd: number, file: string): void {
  const start = readRange(fd, 0, LEGACY_PICKLE_START.length);
  if (start !== null && start.every((b, i) => b === LEGACY_PICKLE_START[i])) {
    throw new CheckpointError(file,
      "torch's legacy serialization format (torch < 1.6) is not supported; re-save the model with a recent torch, or as safetensors");
  }
}

/** The archive's folder is named after the file torch.save wrote (`pytorch_model/`, `archive/`, ...). */
function recordFolder(zip: ZipReader): string {
  const pickles = [...zip.entries.keys()].filter((name) => RECORD_PICKLE.test(name));
  if (pickles.length === 0) throw new CheckpointError(zip.file, "not a torch checkpoint: the ZIP archive has no '<folder>/data.pkl'");
  if (pickles.length > 1) {
    throw new CheckpointError(zip.file, `ambiguous torch checkpoint: several pickles (${pickles.join(', ')}) where exactly one '<folder>/data.pkl' belongs`);
  }
  return pickles[0]!.slice(0, -'/data.pkl'.length);
}

/** Since torch 2.1 archives say their byte order; older ones are always little-endian. */
function checkByteOrder(zip: ZipReader, folder: string): void {
  const entry = zip.entries.get(`${folder}/byteorder`);
  if (entry === undefined) return;
  const order = entry.size <= 16 ? new TextDecoder().decode(zip.read(entry)) : '(unreadable)';
  if (order !== 'little') throw new CheckpointError(zip.file, `tensors are stored in '${order}' byte order; only little-endian checkpoints are supported`);
}

/** Persistent ids are ('storage', StorageClass, key, location, numel). */
function loadStorage(zip: ZipReader, folder: string, storages: Map<string, TorchStorage>, pid: PickleValue): TorchStorage {
  if (!(pid instanceof PickleTuple) || pid.items.length !== 5 || pid.items[0] !== 'storage') {
    throw new PickleRefusal(`persistent id must be ('storage', StorageClass, key, location, numel), got ${describePickleValue(pid)}`);
  }
  const [, storageClass, key, location, count] = pid.items;
  if (!(storageClass instanceof StorageClass)) {
    throw new PickleRefusal(`persistent id names ${describePickleValue(storageClass ?? null)} where a torch storage class belongs`);
  }
  if (typeof key !== 'string' || typeof location !== 'string') throw new PickleRefusal('persistent id must give the storage key and location as strings');
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new PickleRefusal(`storage '${key}' has an invalid element count`);
  const dtype = storageClass.dtype;
  const known = storages.get(key);
  if (known !== undefined) {
    if (known.dtype !== dtype || known.numel !== count) {
      throw new PickleRefusal(
        `storage '${key}' is referenced as ${known.numel} × ${known.dtype} and as ${count} × ${dtype}; reinterpreting storages is not supported`,
      );
    }
    return known;
  }
  const entryName = `${folder}/data/${key}`;
  const entry = zip.entries.get(entryName);
  if (entry === undefined) throw new PickleRefusal(`storage '${key}' is missing: the archive has no entry '${entryName}' (truncated or corrupt file)`);
  const expectedBytes = count * DTYPE_BYTES[dtype];
  if (entry.size !== expectedBytes) {
    throw new PickleRefusal(`storage '${key}' should hold ${count} × ${dtype} (${expectedBytes} bytes) but '${entryName}' has ${entry.size} bytes`);
  }
  const storage = new TorchStorage(key, dtype, count, entry);
  storages.set(key, storage);
  return storage;
}

function stateDictViews(file: string, root: PickleValue): Map<string, TensorView> {
  if (!(root instanceof Map)) {
    throw new CheckpointError(file, `data.pkl holds ${describePickleValue(root)}, not a state dict; `
      + 'expected a dict of tensor name to tensor, as torch.save(model.state_dict()) writes');
  }
  const views = new Map<string, TensorView>();
  for (const [key, value] of root) {
    if (typeof key !== 'string') throw new CheckpointError(file, `state dict has a key of type ${typeof key} (${String(key)}); tensor names must be strings`);
    if (!(value instanceof TensorView)) {
      throw new CheckpointError(file, `state dict entry '${key}' is ${describePickleValue(value)}, not a tensor; only plain dicts of tensors are supported`);
    }
    views.set(key, value);
  }
  return views;
}

/** A hostile view could reach past its storage, or repeat elements (stride 0) to claim far more memory than the file holds. */
function checkViewFitsStorage(file: string, key: string, view: TensorView): void {
  const { storage, offset, shape, stride } = view;
  const count = numel(shape);
  const end = offset + viewSpan(shape, stride);
  const where = `tensor '${key}' (shape [${shape.join(', ')}], stride [${stride.join(', ')}], offset ${offset})`;
  if (end > storage.numel || (count === 0 && offset > storage.numel)) {
    throw new CheckpointError(file, `${where} reaches element ${end} of storage '${storage.key}', which holds only ${storage.numel}; the file is corrupt`);
  }
  if (count > storage.numel) {
    throw new CheckpointError(file,
      `${where} has more elements than storage '${storage.key}' (${storage.numel}); overlapping views such as expand() are not supported`);
  }
}

type StorageRead = (entry: ZipEntry, offset: number, length: number) => Uint8Array;

function lazyTensor(file: string, view: TensorView, readStorage: StorageRead): TensorSource {
  const { storage, offset } = view;
  const shape = [...view.shape];
  const stride = [...view.stride];
  const itemSize = DTYPE_BYTES[storage.dtype];
  const count = numel(shape);
  return {
    dtype: storage.dtype,
    shape,
    bytes() {
      try {
        if (count === 0) return new Uint8Array(0);
        if (isContiguous(shape, stride)) return readStorage(storage.entry, offset * itemSize, count * itemSize);
        const span = readStorage(storage.entry, offset * itemSize, viewSpan(shape, stride) * itemSize);
        return gatherStrided(span, itemSize, shape, stride);
      } catch (err) {
        throw asCheckpointError(file, err);
      }
    },
  };
}

/** The one place where unexpected failures (I/O errors, bugs) become the CheckpointError callers are promised. */
function asCheckpointError(file: string, err: unknown): CheckpointError {
  if (err instanceof CheckpointError) return err;
  return new CheckpointError(file, `cannot be read (${errorText(err)})`, err);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
