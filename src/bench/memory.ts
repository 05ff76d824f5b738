import fs from 'node:fs';
import { UnsupportedError } from '../errors.js';

/**
 * The environment every measuring child starts with: glibc's mmap threshold pinned at its start-up
 * value (128 KiB). Left dynamic, glibc raises it whenever a large block is freed, after which
 * blocks of that size stay in the heap; how far it rose depended on the order of onnxruntime's
 * allocations, and a bert-base session's peak moved between 752 and 849 MB from run to run. Pinned,
 * the same file gives the same peak within 0.3%. The variable is glibc's, read at process start.
 */
export const PINNED_ALLOCATOR_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' } as const;
export const PINNED_ALLOCATOR_NOTE = "glibc's mmap threshold pinned at 128 KiB";

interface ProcessMemory { readonly peakRssBytes: number; readonly rssBytes: number }

/**
 * VmHWM (peak resident set) and VmRSS of this process. VmHWM belongs to the address space, which
 * exec replaces; getrusage's ru_maxrss does not, so in a child started by fork+exec it can still
 * hold the parent's size.
 */
export function readProcessMemory(statusFile = '/proc/self/status'): ProcessMemory {
  let text: string;
  try {
    text = fs.readFileSync(statusFile, 'utf8');
  } catch {
    throw new UnsupportedError(`${statusFile} cannot be read; albench bench measures memory from /proc and needs Linux`);
  }
  const kib = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
    if (!m?.[1]) throw new UnsupportedError(`${statusFile} has no ${field} line; albench bench needs Linux's /proc`);
    return Number(m[1]) * 1024;
  };
  return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}
