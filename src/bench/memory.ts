import fs from 'node:fs';
import { UnsupportedError } from '../errors.js';

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
