import fs from 'node:fs';

/** Reads exactly `length` bytes at `position`, or returns null when the file is shorter. */
export function readRange(fd: number, position: number, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, out, done, length - done, position + done);
    if (n === 0) return null;
    done += n;
  }
  return out;
}
