import fs from 'node:fs';
import { ZipReader } from '../../src/checkpoint/zip.js';
import { writeZip } from '../helpers/zip-writer.js';

/**
 * Seeds whose mutations go to one part of a file that is then rebuilt around it, so they reach the
 * parser behind the container's own checks: the pickle inside a torch ZIP (CRC recomputed), the
 * JSON header of a safetensors file (length prefix kept consistent).
 */
export interface FuzzSeed {
  readonly bytes: Uint8Array;
  /** The whole input from a mutated `bytes`; absent when `bytes` is the whole input. */
  build?(mutated: Uint8Array): Uint8Array;
}

export function pickleInZipSeed(binFile: string): FuzzSeed {
  const fd = fs.openSync(binFile, 'r');
  try {
    const zip = ZipReader.fromFd(fd, binFile);
    const entries = [...zip.entries.values()].map((e) => ({ name: e.name, data: zip.read(e) }));
    const pickle = entries.find((e) => e.name.endsWith('/data.pkl'));
    if (pickle === undefined) throw new Error(`${binFile} has no data.pkl`);
    return {
      bytes: pickle.data,
      build: (mutated) => writeZip(entries.map((e) => (e === pickle ? { name: e.name, data: mutated } : e))),
    };
  } finally {
    fs.closeSync(fd);
  }
}

export function safetensorsHeaderSeed(file: string): FuzzSeed {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const data = bytes.subarray(8 + headerLength);
  return {
    bytes: bytes.slice(8, 8 + headerLength),
    build: (header) => {
      const out = new Uint8Array(8 + header.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
      out.set(header, 8);
      out.set(data, 8 + header.length);
      return out;
    },
  };
}
