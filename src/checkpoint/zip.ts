import fs from 'node:fs';
import zlib from 'node:zlib';
import { CheckpointError } from '../errors.js';
import { crc32 } from '../util/crc32.js';
import { readRange } from '../util/read-range.js';

/**
 * A read-only ZIP reader for archives we do not trust (torch checkpoints from the internet).
 * It reads only the central directory up front and entry bytes on demand, checks every offset
 * and size against the file before using it, and inflates at most the declared size.
 * The caller owns the file descriptor.
 */

/** A torch checkpoint has one entry per storage: a few thousand for the largest models. */
export const MAX_ENTRIES = 100_000;
export const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Deflated entries are inflated into memory whole, so their declared size is capped. */
export const MAX_INFLATED_ENTRY_BYTES = 1024 * 1024 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const ZIP64_EXTRA_ID = 0x0001;
const U16_SATURATED = 0xffff;
const U32_SATURATED = 0xffffffff;
const FLAG_ENCRYPTED = 0x0001;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

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

export class ZipReader {
  private constructor(
    private readonly fd: number,
    readonly file: string,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  /** Reads and validates the directory of the ZIP archive open on `fd`. */
  static fromFd(fd: number, file: string): ZipReader {
    return new ZipReader(fd, file, readDirectory(fd, file));
  }

  /**
   * `length` bytes at `offset` of the entry's uncompressed content. Stored entries are read
   * straight from the file; a read of a whole entry is checked against its CRC.
   */
  read(entry: ZipEntry, offset = 0, length = entry.size - offset): Uint8Array {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > entry.size) {
      throw new CheckpointError(this.file, `internal: range [${offset}, +${length}) is outside entry '${entry.name}' (${entry.size} bytes)`);
    }
    const whole = offset === 0 && length === entry.size;
    if (entry.method === 'stored') {
      const bytes = this.readRaw(entry, entry.dataOffset + offset, length);
      if (whole) this.checkCrc(entry, bytes);
      return bytes;
    }
    const inflated = this.inflate(entry);
    return whole ? inflated : inflated.subarray(offset, offset + length);
  }

  private readRaw(entry: ZipEntry, position: number, length: number): Uint8Array {
    const bytes = readRange(this.fd, position, length);
    if (bytes === null) throw new CheckpointError(this.file, `entry '${entry.name}' is cut short; the file was truncated or changed while open`);
    return bytes;
  }

  private inflate(entry: ZipEntry): Uint8Array {
    const compressed = this.readRaw(entry, entry.dataOffset, entry.compressedSize);
    let inflated: Uint8Array;
    try {
      // maxOutputLength stops a zip bomb at its declared size instead of filling memory.
      inflated = zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.size) });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new CheckpointError(this.file, `entry '${entry.name}' inflates to more than its declared ${entry.size} bytes (corrupt, or a zip bomb); refusing it`);
      }
      throw new CheckpointError(this.file, `entry '${entry.name}' is not valid deflate data (${err instanceof Error ? err.message : String(err)})`);
    }
    if (inflated.length !== entry.size) {
      throw new CheckpointError(this.file, `entry '${entry.name}' inflates to ${inflated.length} bytes but declares ${entry.size}; the archive is corrupt`);
    }
    this.checkCrc(entry, inflated);
    return inflated;
  }

  private checkCrc(entry: ZipEntry, bytes: Uint8Array): void {
    if (crc32(bytes) !== entry.crc32) {
      throw new CheckpointError(this.file, `entry '${entry.name}' fails its CRC-32 check; the file is corrupt (re-download it)`);
    }
  }
}

interface DirectoryLocation {
  readonly entryCount: number;
  readonly offset: number;
  readonly size: number;
  /** Where the records after the central directory start; entry data must end before the directory. */
  readonly end: number;
}

function readDirectory(fd: number, file: string): Map<string, ZipEntry> {
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

function locateCentralDirectory(fd: number, file: string, fileSize: number): DirectoryLocation {
  if (fileSize < EOCD_SIZE) throw new CheckpointError(file, `not a ZIP archive (only ${fileSize} bytes)`);
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT_BYTES);
  const tailStart = fileSize - tailLength;
  const tail = readRange(fd, tailStart, tailLength);
  if (tail === null) throw new CheckpointError(file, 'file shrank while being read');
  const view = viewOf(tail);
  // Scan backwards; the record must end exactly at the end of the file (its comment included).
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE && i + EOCD_SIZE + view.getUint16(i + 20, true) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new CheckpointError(file, 'not a ZIP archive, or a truncated one (no end-of-central-directory record)');
  const eocdOffset = tailStart + at;
  const disk = view.getUint16(at + 4, true);
  const directoryDisk = view.getUint16(at + 6, true);
  let location: DirectoryLocation = {
    entryCount: view.getUint16(at + 10, true),
    size: view.getUint32(at + 12, true),
    offset: view.getUint32(at + 16, true),
    end: eocdOffset,
  };
  const diskEntries = view.getUint16(at + 8, true);
  const hasZip64Locator = eocdOffset >= ZIP64_LOCATOR_SIZE && readU32(fd, file, eocdOffset - ZIP64_LOCATOR_SIZE) === ZIP64_LOCATOR_SIGNATURE;
  if (hasZip64Locator) {
    location = readZip64Directory(fd, file, eocdOffset - ZIP64_LOCATOR_SIZE);
  } else if ((disk !== 0 && disk !== U16_SATURATED) || (directoryDisk !== 0 && directoryDisk !== U16_SATURATED) || diskEntries !== location.entryCount) {
    throw new CheckpointError(file, 'multi-volume (split) ZIP archives are not supported');
  }
  if (location.entryCount > MAX_ENTRIES) throw new CheckpointError(file, `ZIP archive lists ${location.entryCount} entries, more than the ${MAX_ENTRIES} allowed`);
  if (location.size > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw new CheckpointError(file, `ZIP central directory is ${location.size} bytes, more than the ${MAX_CENTRAL_DIRECTORY_BYTES} allowed`);
  }
  if (location.offset + location.size > location.end) {
    throw new CheckpointError(file, 'ZIP central directory lies beyond the end of the archive; the file is truncated or corrupt');
  }
  return location;
}

function readZip64Directory(fd: number, file: string, locatorOffset: number): DirectoryLocation {
  const locator = readRange(fd, locatorOffset, ZIP64_LOCATOR_SIZE);
  if (locator === null) throw new CheckpointError(file, 'ZIP64 locator is cut short');
  const lv = viewOf(locator);
  const recordOffset = readU64(lv, 8, file, 'ZIP64 end-of-directory offset');
  if (lv.getUint32(4, true) !== 0 || lv.getUint32(16, true) > 1) throw new CheckpointError(file, 'multi-volume (split) ZIP archives are not supported');
  if (recordOffset + ZIP64_EOCD_SIZE > locatorOffset) throw new CheckpointError(file, 'ZIP64 end-of-directory record lies outside the archive');
  const record = readRange(fd, recordOffset, ZIP64_EOCD_SIZE);
  if (record === null) throw new CheckpointError(file, 'ZIP64 end-of-directory record is cut short');
  const rv = viewOf(record);
  if (rv.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw new CheckpointError(file, 'ZIP64 end-of-directory record is missing where the locator points');
  if (rv.getUint32(16, true) !== 0 || rv.getUint32(20, true) !== 0) throw new CheckpointError(file, 'multi-volume (split) ZIP archives are not supported');
  const diskEntries = readU64(rv, 24, file, 'ZIP64 entry count');
  const entryCount = readU64(rv, 32, file, 'ZIP64 entry count');
  if (diskEntries !== entryCount) throw new CheckpointError(file, 'multi-volume (split) ZIP archives are not supported');
  return {
    entryCount,
    size: readU64(rv, 40, file, 'ZIP64 central directory size'),
    offset: readU64(rv, 48, file, 'ZIP64 central directory offset'),
    end: recordOffset,
  };
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
    throw new CheckpointError(file, `ZIP entry '${name}' declares ${sizes.size} bytes uncompressed, more than the ${MAX_INFLATED_ENTRY_BYTES} allowed for a compressed entry (possible zip bomb)`);
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
  if (view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) throw new CheckpointError(file, `ZIP entry '${record.name}' has no local header where the directory says; the archive is corrupt`);
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

function readU32(fd: number, file: string, position: number): number {
  const bytes = readRange(fd, position, 4);
  if (bytes === null) throw new CheckpointError(file, 'file shrank while being read');
  return viewOf(bytes).getUint32(0, true);
}

function readU64(view: DataView, offset: number, file: string, what: string): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(file, `${what} is ${value}, beyond any real file`);
  return Number(value);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
