import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { isAlive } from '../util/temporaries.js';

/**
 * The lock file of one cache key: `{"host","pid","token"}`, made with O_EXCL so one process holds
 * it, its modification time refreshed every LOCK_REFRESH_MS while held. It is stale, and may be
 * broken, when its process is gone from this host or it went LOCK_STALE_MS without a refresh (a
 * holder on another host, or one frozen), so a holder killed with SIGKILL delays a waiter by at most
 * about LOCK_STALE_MS. Locks only save work: every publish is safe without one (cache.ts).
 */
export const LOCK_REFRESH_MS = 2000;
export const LOCK_STALE_MS = 30_000;

export interface LockRecord {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
}

export function newLockRecord(): LockRecord {
  return { host: os.hostname(), pid: process.pid, token: crypto.randomBytes(8).toString('hex') };
}

/** The lock file's text and time, or null when there is no lock. */
export function lookAtLock(file: string): { readonly text: string; readonly mtimeMs: number } | null {
  try {
    const mtimeMs = fs.statSync(file).mtimeMs;
    return { text: fs.readFileSync(file, 'utf8'), mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseRecord(text: string): LockRecord | null {
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    return typeof r.host === 'string' && typeof r.pid === 'number' && typeof r.token === 'string' ? { host: r.host, pid: r.pid, token: r.token } : null;
  } catch {
    // Being written (made, not yet filled): only its age can make it stale.
    return null;
  }
}

export function isStale(seen: { readonly text: string; readonly mtimeMs: number }, now: number): boolean {
  const record = parseRecord(seen.text);
  if (record !== null && record.host === os.hostname() && !isAlive(record.pid)) return true;
  return now - seen.mtimeMs > LOCK_STALE_MS;
}

/** Makes the lock file for `record`; false when another holds it. */
export function tryCreateLock(file: string, record: LockRecord): boolean {
  try {
    fs.writeFileSync(file, JSON.stringify(record), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Removes the stale lock seen as `seenText`. Moved aside first, then checked: if another waiter broke
 * it and a new holder's lock was moved instead, that one is put back (a link, refused if a third
 * process holds the key by then).
 */
export function breakStaleLock(file: string, seenText: string): void {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== seenText) fs.linkSync(aside, file);
  } catch {
    // Another holder is in place already: this one was moved too late to matter.
  }
  fs.rmSync(aside, { force: true });
}

function holds(file: string, token: string): boolean {
  const seen = lookAtLock(file);
  return seen !== null && parseRecord(seen.text)?.token === token;
}

/** Marks the lock as alive now, if it is still the holder's. */
export function refreshLock(file: string, token: string): void {
  try {
    if (holds(file, token)) {
      const now = new Date();
      fs.utimesSync(file, now, now);
    }
  } catch {
    // Gone or unreadable: the holder lost it, and waiters will have taken it.
  }
}

/** Removes the lock, if it is still the holder's. */
export function removeLock(file: string, token: string): void {
  try {
    if (holds(file, token)) fs.rmSync(file, { force: true });
  } catch {
    // As above.
  }
}
