import fs from 'node:fs';

/** Fills `target` from `position`; false when the file ends first. */
export function readInto(fd: number, position: number, target: Uint8Array): boolean {
  let done = 0;
  while (done < target.length) {
    const n = fs.readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) return false;
    done += n;
  }
  return true;
}

/** Reads exactly `length` bytes at `position` into new memory, or returns null when the file is shorter. */
export function readRange(fd: number, position: number, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  return readInto(fd, position, out) ? out : null;
}
