import fs from 'node:fs';
import { checkEntry, isDamage, type Damage, type VerifiedEntry } from './entry.js';

/** How often, and after how long, a check that found a file missing looks again. */
const LOOKS = 3;
const LOOK_AGAIN_MS = 50;

/** A damage report with the identity of the folder it is about, so only that folder is ever set aside (trash.ts). */
export interface FolderDamage extends Damage {
  readonly ino: number;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The entry at `dir` verified (checkEntry), or null when there is none. Entries appear by one rename
 * and leave by one (to the trash), so a file missing while they are checked means the folder is on its
 * way out or another has just taken its place: it is looked at again, and only a file still missing
 * from a folder still in place is damage. Never throws ENOENT.
 */
export function verifyEntry(dir: string): VerifiedEntry | FolderDamage | null {
  for (let look = 1; look <= 2 * LOOKS; look++) {
    const ino = fs.statSync(dir, { throwIfNoEntry: false })?.ino;
    if (ino === undefined) return null;
    const checked = checkEntry(dir);
    if (!isDamage(checked)) return checked;
    // The folder may have been replaced while it was read: only damage of the folder still there counts.
    const same = fs.statSync(dir, { throwIfNoEntry: false })?.ino === ino;
    if (same && (!checked.missing || look >= LOOKS)) return { ...checked, ino };
    sleepSync(LOOK_AGAIN_MS * look);
  }
  // Replaced again and again while it was checked: no entry to speak of yet.
  return null;
}
