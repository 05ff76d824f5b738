import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * sha256 of files, computed on a worker thread (sha256-worker.ts) so hashing a multi-gigabyte
 * checkpoint overlaps with converting it instead of adding to the wall time.
 */
export function sha256Files(files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sha256-worker.js', import.meta.url), { workerData: { files } });
    worker.once('message', (digests: string[]) => resolve(digests));
    worker.once('error', reject);
  });
}

/**
 * Chunks below glibc's 128 KiB mmap threshold: freeing a larger buffer (as a hashing worker does
 * when it exits) raises that threshold for the whole process, and an onnxruntime session loaded
 * afterwards (convert's validation) then peaks 100-200 MB higher on bert-base.
 */
const CHUNK_BYTES = 64 * 1024;

/** sha256 of one file, read in chunks on this thread: a report's variant files, a cache entry's files when stored and read. */
export function sha256FileSync(file: string): string {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
