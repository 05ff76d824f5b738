import fs from 'node:fs';
import path from 'node:path';
import { trashDir, usedMarker } from './layout.js';

/**
 * Entries leave the cache by one rename into `<root>/.trash/`, never by deletion in place: a run
 * that verified an entry reads it by path for minutes (compare builds every variant from the fp32
 * folder), and a folder deleted or replaced under it would fail that run. The trash is emptied only
 * of folders moved there long enough ago (prune), and `used` markers say when an entry was last read.
 */

/**
 * Moves the entry folder at `dir` to the trash, if it is still the folder `ino` names (another process
 * may have set it aside already and published a fresh entry there); true when it moved it.
 */
export function setAside(root: string, step: string, key: string, dir: string, ino: number, now = new Date()): boolean {
  if (fs.statSync(dir, { throwIfNoEntry: false })?.ino !== ino) return false;
  fs.mkdirSync(trashDir(root), { recursive: true });
  const aside = path.join(trashDir(root), `${step}-${key}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    fs.renameSync(dir, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  // A folder's time does not change when it is renamed: the trash's age counts from now.
  fs.utimesSync(aside, now, now);
  return true;
}

/** Deletes the folders moved to the trash more than `olderThanMs` before `now`; how many bytes that freed. */
export function emptyTrash(root: string, olderThanMs: number, now: number): number {
  const trash = trashDir(root);
  if (!fs.existsSync(trash)) return 0;
  let freed = 0;
  for (const name of fs.readdirSync(trash)) {
    const p = path.join(trash, name);
    const stat = fs.lstatSync(p, { throwIfNoEntry: false });
    if (stat === undefined || now - stat.mtimeMs <= olderThanMs) continue;
    freed += bytesUnder(p);
    fs.rmSync(p, { recursive: true, force: true });
  }
  return freed;
}

function bytesUnder(p: string): number {
  const stat = fs.lstatSync(p, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  return fs.readdirSync(p).reduce((sum, name) => sum + bytesUnder(path.join(p, name)), 0);
}

/** Records that a run uses the entry now. Best effort: a cache on a read-only disk is still read. */
export function touchUsed(root: string, step: string, key: string): void {
  const marker = usedMarker(root, step, key);
  const now = new Date();
  try {
    fs.utimesSync(marker, now, now);
  } catch {
    try {
      fs.mkdirSync(path.dirname(marker), { recursive: true });
      fs.writeFileSync(marker, '');
    } catch {
      // Nothing to record it in: prune then goes by the entry's own date.
    }
  }
}

/** When a run last used the entry (its marker), or undefined when none has since markers were kept. */
export function lastUsedMs(root: string, step: string, key: string): number | undefined {
  return fs.statSync(usedMarker(root, step, key), { throwIfNoEntry: false })?.mtimeMs;
}
