/**
 * Reads the central directory of a ZIP archive into its entries: every record, name, size and
 * offset is validated, and each entry's local header is checked to agree with its record.
 */
import fs from 'node:fs';
import { CheckpointError } from '../errors.js';
import { readRange } from '../util/read-range.js';
import {
  CENTRAL_HEADER_SIGNATURE, CENTRAL_HEADER_SIZE, FLAG_ENCRYPTED, LOCAL_HEADER_SIGNATURE, LOCAL_HEADER_SIZE, MAX_INFLATED_ENTRY_BYTES,
  METHOD_DEFLATED, METHOD_STORED, U32_SATURATED, ZIP64_EXTRA_ID, readU64, viewOf,
} from './zip-format.js';
import { locateCentralDirectory } from './zip-locate.js';

export interface ZipEntry {
  readonly name: string;
  readonly method: 'stored' | 'deflated';
  /** Uncompressed size in bytes. */
  readonly size: number;
  readonly compressedSize: number;
  readonly crc32: number;
  /** File offset of the entry's (possibly compressed) bytes, past its local header. */
  readonly dataOffset: number;
}

export function readDirectory(fd: number, file: string): Map<string, ZipEntry> {
  const fileSize = fs.fstatSync(fd).size;
  const location = locateCentralDirectory(fd, file, fileSize);
  const directory = readRange(fd, location.offset, location.size);
  if (directory === null) throw new CheckpointError(file, 'ZIP central directory is cut short; the file is truncated');
  const view = viewOf(directory);
  const entries = new Map<string, ZipEntry>();
  let pos = 0;
  for (let i = 0; i < location.entryCount; i++) {
    const record = parseCentralRecord(file, directory, view, pos);
    pos = record.next;
    if (entries.has(record.name)) throw new CheckpointError(file, `ZIP entry '${record.name}' appears twice; refusing an ambiguous archive`);
    entries.set(record.name, resolveLocalHeader(fd, file, record, location.offset));
  }
  if (pos !== directory.length) throw new CheckpointError(file, 'ZIP central directory size does not match its records; the archive is corrupt');
  return entries;
}

interface CentralRecord {
  readonly name: string;
  readonly nameBytes: Uint8Array;
  readonly method: 'stored' | 'deflated';
  readonly crc32: number;
  readonly size: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
  /** Position of the next record in the directory buffer. */
  readonly next: number;
}

function parseCentralRecord(file: string, directory: Uint8Array, view: DataView, pos: number): CentralRecord {
  if (pos + CENTRAL_HEADER_SIZE > directory.length || view.getUint32(pos, true) !== CENTRAL_HEADER_SIGNATURE) {
    throw new CheckpointError(file, 'ZIP central directory is corrupt (bad or missing entry record)');
  }
  const flags = view.getUint16(pos + 8, true);
  const methodCode = view.getUint16(pos + 10, true);
  const nameLength = view.getUint16(pos + 28, true);
  const extraLength = view.getUint16(pos + 30, true);
  const commentLength = view.getUint16(pos + 32, true);
  const next = pos + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
  if (next > directory.length) throw new CheckpointError(file, 'ZIP central directory is corrupt (entry record runs past its end)');
  const nameBytes = directory.subarray(pos + CENTRAL_HEADER_SIZE, pos + CENTRAL_HEADER_SIZE + nameLength);
  const name = checkedEntryName(file, nameBytes);
  if (flags & FLAG_ENCRYPTED) throw new CheckpointError(file, `ZIP entry '${name}' is encrypted; encrypted archives are not supported`);
  if (methodCode !== METHOD_STORED && methodCode !== METHOD_DEFLATED) {
    throw new CheckpointError(file, `ZIP entry '${name}' uses compression method ${methodCode}; only stored and deflated entries are supported`);
  }
  const extraStart = pos + CENTRAL_HEADER_SIZE + nameLength;
  const sizes = applyZip64Extra(file, name, view, extraStart, extraStart + extraLength, {
    size: view.getUint32(pos + 24, true),
    compressedSize: view.getUint32(pos + 20, true),
    localHeaderOffset: view.getUint32(pos + 42, true),
  });
  const method = methodCode === METHOD_STORED ? 'stored' : 'deflated';
  if (method === 'stored' && sizes.size !== sizes.compressedSize) {
    throw new CheckpointError(file, `ZIP entry '${name}' is stored but declares ${sizes.size} bytes uncompressed and ${sizes.compressedSize} compressed`);
  }
  if (method === 'deflated' && sizes.size > MAX_INFLATED_ENTRY_BYTES) {
    const limit = `more than the ${MAX_INFLATED_ENTRY_BYTES} allowed for a compressed entry (possible zip bomb)`;
    throw new CheckpointError(file, `ZIP entry '${name}' declares ${sizes.size} bytes uncompressed, ${limit}`);
  }
  return { name, nameBytes, method, crc32: view.getUint32(pos + 16, true), ...sizes, next };
}

interface EntrySizes {
  readonly size: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

/** Saturated 32-bit fields are replaced, in this order, by 64-bit values from the ZIP64 extra field. */
function applyZip64Extra(file: string, name: string, view: DataView, start: number, end: number, sizes: EntrySizes): EntrySizes {
  const needSize = sizes.size === U32_SATURATED;
  const needCompressed = sizes.compressedSize === U32_SATURATED;
  const needOffset = sizes.localHeaderOffset === U32_SATURATED;
  if (!needSize && !needCompressed && !needOffset) return sizes;
  for (let pos = start; pos + 4 <= end; ) {
    const id = view.getUint16(pos, true);
    const length = view.getUint16(pos + 2, true);
    const dataEnd = pos + 4 + length;
    if (dataEnd > end) break;
    if (id === ZIP64_EXTRA_ID) {
      let field = pos + 4;
      const take = (what: string): number => {
        if (field + 8 > dataEnd) throw new CheckpointError(file, `ZIP entry '${name}': ZIP64 extra field is too short for its ${what}`);
        const value = readU64(view, field, file, `ZIP64 ${what} of '${name}'`);
        field += 8;
        return value;
      };
      const size = needSize ? take('size') : sizes.size;
      const compressedSize = needCompressed ? take('compressed size') : sizes.compressedSize;
      const localHeaderOffset = needOffset ? take('header offset') : sizes.localHeaderOffset;
      return { size, compressedSize, localHeaderOffset };
    }
    pos = dataEnd;
  }
  throw new CheckpointError(file, `ZIP entry '${name}' has saturated size fields but no ZIP64 extra field; the archive is corrupt`);
}

/** Names become lookup keys only, but anything path-like that could escape a folder is refused outright. */
function checkedEntryName(file: string, bytes: Uint8Array): string {
  let name: string;
  try {
    name = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CheckpointError(file, 'ZIP entry name is not valid UTF-8');
  }
  const shown = JSON.stringify(name);
  if (name.length === 0) throw new CheckpointError(file, 'ZIP entry has an empty name');
  if (/[\0\\]/.test(name) || name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new CheckpointError(file, `ZIP entry name ${shown} is an absolute path or contains a backslash or NUL; refusing the archive`);
  }
  if (name.split('/').some((segment) => segment === '..')) {
    throw new CheckpointError(file, `ZIP entry name ${shown} contains a '..' segment; refusing the archive`);
  }
  return name;
}

function resolveLocalHeader(fd: number, file: string, record: CentralRecord, directoryOffset: number): ZipEntry {
  const headerLength = LOCAL_HEADER_SIZE + record.nameBytes.length;
  if (record.localHeaderOffset + headerLength > directoryOffset) {
    throw new CheckpointError(file, `ZIP entry '${record.name}' points outside the archive data; the file is truncated or corrupt`);
  }
  const header = readRange(fd, record.localHeaderOffset, headerLength);
  if (header === null) throw new CheckpointError(file, `ZIP entry '${record.name}' is cut short; the file is truncated`);
  const view = viewOf(header);
  if (view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) {
    throw new CheckpointError(file, `ZIP entry '${record.name}' has no local header where the directory says; the archive is corrupt`);
  }
  const localName = header.subarray(LOCAL_HEADER_SIZE);
  if (view.getUint16(26, true) !== record.nameBytes.length || !localName.every((b, i) => b === record.nameBytes[i])) {
    throw new CheckpointError(file, `ZIP entry '${record.name}' has a different name in its local header; refusing an ambiguous archive`);
  }
  const dataOffset = record.localHeaderOffset + headerLength + view.getUint16(28, true);
  if (dataOffset + record.compressedSize > directoryOffset) {
    throw new CheckpointError(file, `ZIP entry '${record.name}' (${record.compressedSize} bytes) runs past the archive data; the file is truncated or corrupt`);
  }
  return {
    name: record.name,
    method: record.method,
    size: record.size,
    compressedSize: record.compressedSize,
    crc32: record.crc32,
    dataOffset,
  };
}
