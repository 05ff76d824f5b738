/**
 * A read-only ZIP reader for archives we do not trust (torch checkpoints from the internet).
 * It reads only the central directory up front (zip-directory.ts, found by zip-locate.ts) and
 * entry bytes on demand (here), checks every offset and size against the file before using it,
 * and inflates at most the declared size. The caller owns the file descriptor.
 */
import zlib from 'node:zlib';
import { CheckpointError } from '../errors.js';
import { readRange } from '../util/read-range.js';
import { readDirectory, type ZipEntry } from './zip-directory.js';

export { MAX_CENTRAL_DIRECTORY_BYTES, MAX_ENTRIES, MAX_INFLATED_ENTRY_BYTES } from './zip-format.js';
export type { ZipEntry } from './zip-directory.js';

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
        const problem = `inflates to more than its declared ${entry.size} bytes (corrupt, or a zip bomb); refusing it`;
        throw new CheckpointError(this.file, `entry '${entry.name}' ${problem}`);
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
    if (zlib.crc32(bytes) !== entry.crc32) {
      throw new CheckpointError(this.file, `entry '${entry.name}' fails its CRC-32 check; the file is corrupt (re-download it)`);
    }
  }
}
