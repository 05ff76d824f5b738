/** Record signatures and sizes of the ZIP format, the limits albench puts on untrusted archives, and reading helpers. */
import { CheckpointError } from '../errors.js';
import { readRange } from '../util/read-range.js';

/** A torch checkpoint has one entry per storage: a few thousand for the largest models. */
export const MAX_ENTRIES = 100_000;
export const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Deflated entries are inflated into memory whole, so their declared size is capped. */
export const MAX_INFLATED_ENTRY_BYTES = 1024 * 1024 * 1024;

export const EOCD_SIGNATURE = 0x06054b50;
export const EOCD_SIZE = 22;
export const MAX_COMMENT_BYTES = 0xffff;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_EOCD_SIGNATURE = 0x06064b50;
export const ZIP64_EOCD_SIZE = 56;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const CENTRAL_HEADER_SIZE = 46;
export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const LOCAL_HEADER_SIZE = 30;
export const ZIP64_EXTRA_ID = 0x0001;
export const U16_SATURATED = 0xffff;
export const U32_SATURATED = 0xffffffff;
export const FLAG_ENCRYPTED = 0x0001;
export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

export function readU32(fd: number, file: string, position: number): number {
  const bytes = readRange(fd, position, 4);
  if (bytes === null) throw new CheckpointError(file, 'file shrank while being read');
  return viewOf(bytes).getUint32(0, true);
}

export function readU64(view: DataView, offset: number, file: string, what: string): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(file, `${what} is ${value}, beyond any real file`);
  return Number(value);
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
