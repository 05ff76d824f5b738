/**
 * Finds the central directory of a ZIP archive from its end: the end-of-central-directory record,
 * and the ZIP64 records when the archive has them, each checked against the file before use.
 */
import { CheckpointError } from '../errors.js';
import { readRange } from '../util/read-range.js';
import {
  EOCD_SIGNATURE, EOCD_SIZE, MAX_CENTRAL_DIRECTORY_BYTES, MAX_COMMENT_BYTES, MAX_ENTRIES, U16_SATURATED,
  ZIP64_EOCD_SIGNATURE, ZIP64_EOCD_SIZE, ZIP64_LOCATOR_SIGNATURE, ZIP64_LOCATOR_SIZE, readU32, readU64, viewOf,
} from './zip-format.js';

interface DirectoryLocation {
  readonly entryCount: number;
  readonly offset: number;
  readonly size: number;
  /** Where the records after the central directory start; entry data must end before the directory. */
  readonly end: number;
}

export function locateCentralDirectory(fd: number, file: string, fileSize: number): DirectoryLocation {
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
  if (location.entryCount > MAX_ENTRIES) {
    throw new CheckpointError(file, `ZIP archive lists ${location.entryCount} entries, more than the ${MAX_ENTRIES} allowed`);
  }
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
