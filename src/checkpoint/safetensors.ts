import fs from 'node:fs';
import { CheckpointError } from '../errors.js';
import { DTYPE_BYTES, numel, STREAM_CHUNK_BYTES, type DType, type TensorSource } from '../tensor.js';
import { readInto, readRange } from '../util/read-range.js';
import { scratch } from '../util/scratch.js';
import type { StateDict } from './types.js';

/** A header larger than this is not a real checkpoint (HF headers are a few hundred KB at most). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const MAX_RANK = 8;

const SAFETENSORS_DTYPES: Readonly<Record<string, DType>> = {
  F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64',
  I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

interface HeaderEntry { name: string; dtype: DType; shape: number[]; begin: number; end: number }

function parseEntry(file: string, name: string, raw: unknown): HeaderEntry {
  const bad = (what: string) => new CheckpointError(file, `tensor "${name}" ${what}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('has a header entry that is not an object');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') throw bad('has no dtype');
  const mapped = SAFETENSORS_DTYPES[dtype];
  if (mapped === undefined) throw bad(`has dtype ${dtype}, which albench does not read (supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`);
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad('has a shape that is not a list of non-negative integers');
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw bad('has data_offsets that are not two non-negative integers');
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw bad(`has data_offsets [${begin}, ${end}] that end before they begin`);
  const expected = numel(shape as number[]) * DTYPE_BYTES[mapped];
  if (end - begin !== expected) {
    throw bad(`holds ${end - begin} bytes but its shape [${(shape as number[]).join(', ')}] x ${dtype} needs ${expected}`);
  }
  return { name, dtype: mapped, shape: shape as number[], begin, end };
}

function parseHeader(file: string, headerBytes: Uint8Array, dataBytes: number, checkDuplicates: (count: number) => void): HeaderEntry[] {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw new CheckpointError(file, 'the safetensors header is not valid UTF-8 JSON; the file is corrupt or not a safetensors file');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CheckpointError(file, 'the safetensors header is not a JSON object');
  }
  const entries = Object.entries(header as Record<string, unknown>)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, raw]) => parseEntry(file, name, raw));
  checkDuplicates(entries.length);
  // Tensors must tile the data section exactly: a gap or overlap means a corrupt or crafted file.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin !== cursor) {
      throw new CheckpointError(file, `tensor "${e.name}" starts at byte ${e.begin} of the data section, expected ${cursor} (tensors overlap or leave a gap)`);
    }
    cursor = e.end;
  }
  if (cursor !== dataBytes) {
    throw new CheckpointError(file,
      `the header describes ${cursor} bytes of tensor data but the file holds ${dataBytes}; the file is truncated or corrupt — download it again`);
  }
  return entries;
}

/** JSON.parse keeps the last of duplicate keys silently; safetensors forbids duplicates, so look for them. */
function assertNoDuplicateKeys(file: string, headerText: string, count: number): void {
  const names = new Set<string>();
  const keyPattern = /"((?:[^"\\]|\\.)*)"\s*:\s*\{/g;
  let total = 0;
  for (const m of headerText.matchAll(keyPattern)) {
    const key = m[1] ?? '';
    if (key === '__metadata__') continue;
    total++;
    if (names.has(key)) throw new CheckpointError(file, `tensor "${key}" appears twice in the safetensors header`);
    names.add(key);
  }
  if (total > count) throw new CheckpointError(file, 'the safetensors header names a tensor more than once');
}

/** Opens a .safetensors file and checks its header against the file before any tensor is read. */
export function openSafetensors(file: string): StateDict {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CheckpointError(file, `cannot open (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const prefix = readRange(fd, 0, 8);
    if (prefix === null) throw new CheckpointError(file, `is ${size} bytes, too short to be a safetensors file`);
    const headerLength = new DataView(prefix.buffer).getBigUint64(0, true);
    if (headerLength > BigInt(MAX_HEADER_BYTES)) {
      throw new CheckpointError(file, `declares a ${headerLength}-byte header (limit ${MAX_HEADER_BYTES}); not a safetensors file or corrupt`);
    }
    const headerBytesLength = Number(headerLength);
    if (8 + headerBytesLength > size) {
      throw new CheckpointError(file, `declares a ${headerBytesLength}-byte header but the file is only ${size} bytes; truncated or not safetensors`);
    }
    const headerBytes = readRange(fd, 8, headerBytesLength);
    if (headerBytes === null) throw new CheckpointError(file, 'is truncated inside its header');
    const dataStart = 8 + headerBytesLength;
    const entries = parseHeader(file, headerBytes, size - dataStart, (count) => assertNoDuplicateKeys(file, new TextDecoder().decode(headerBytes), count));
    const tensors = new Map<string, TensorSource>();
    for (const e of entries) {
      const truncated = () => new CheckpointError(file, `tensor "${e.name}" lies beyond the end of the file (was it truncated while open?)`);
      tensors.set(e.name, {
        dtype: e.dtype,
        shape: e.shape,
        bytes: () => {
          const b = readRange(fd, dataStart + e.begin, e.end - e.begin);
          if (b === null) throw truncated();
          return b;
        },
        *chunks() {
          for (let at = e.begin; at < e.end; at += STREAM_CHUNK_BYTES) {
            const chunk = scratch('safetensors-read', Math.min(STREAM_CHUNK_BYTES, e.end - at));
            if (!readInto(fd, dataStart + at, chunk)) throw truncated();
            yield chunk;
          }
        },
      });
    }
    return { file: file, tensors, close: () => fs.closeSync(fd) };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}
