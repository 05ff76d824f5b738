import fs from 'node:fs';
import path from 'node:path';
import { isDamage, KEY_PATTERN, MANIFEST_FILE, readManifest, RESULT_FILE } from './entry.js';
import { codeDigest } from './code-digest.js';
import { lockFile, usedMarker } from './layout.js';
import { isStale, lookAtLock } from './lock-file.js';
import { emptyTrash, lastUsedMs, setAside } from './trash.js';
import { verifyEntry } from './verify.js';

/**
 * `albench cache list | verify | prune`: the step cache seen from outside a run. Only folders
 * albench made are entries: `<root>/<step>/<sha256 hex>/`, a real folder (not a link) holding
 * its manifest.json or, for entries made before manifests, its result.json. Anything else under
 * the root is left alone, whatever it is, and so is the trash (`.trash/`, trash.ts).
 */
export interface CacheEntryInfo {
  readonly step: string;
  readonly key: string;
  readonly dir: string;
  readonly bytes: number;
  /** When the entry was stored: its manifest's date, else the folder's modification time. */
  readonly createdAt: Date;
  /** Made by the albench now running (its code digest); false for other code and for entries without a manifest. */
  readonly currentCode: boolean;
}

const STEP_PATTERN = /^[a-z][a-z0-9-]*$/;

function isRealDir(p: string): boolean {
  return fs.lstatSync(p).isDirectory();
}

function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sum + folderBytes(p);
    return sum + (d.isFile() ? fs.statSync(p).size : 0);
  }, 0);
}

/** Every entry folder under `root`, by step then key; none when the folder does not exist. */
export function listEntries(root: string): CacheEntryInfo[] {
  if (!fs.existsSync(root) || !isRealDir(root)) return [];
  const steps = fs.readdirSync(root).filter((s) => STEP_PATTERN.test(s) && isRealDir(path.join(root, s))).sort();
  return steps.flatMap((step) => fs.readdirSync(path.join(root, step)).sort().flatMap((key) => {
    const dir = path.join(root, step, key);
    if (!KEY_PATTERN.test(key) || !isRealDir(dir)) return [];
    const hasManifest = fs.existsSync(path.join(dir, MANIFEST_FILE));
    if (!hasManifest && !fs.existsSync(path.join(dir, RESULT_FILE))) return [];
    const manifest = readManifest(dir);
    const stored = typeof manifest === 'string' ? Number.NaN : Date.parse(manifest.createdAt);
    const createdAt = new Date(Number.isFinite(stored) ? stored : fs.statSync(dir).mtimeMs);
    const currentCode = typeof manifest !== 'string' && manifest.code === codeDigest();
    return [{ step, key, dir, bytes: folderBytes(dir), createdAt, currentCode }];
  }));
}

export interface DamagedEntry {
  readonly entry: CacheEntryInfo;
  readonly problem: string;
}

/**
 * Checks every entry as a run would before using it (manifest, sizes, sha256, result.json); the damaged
 * ones. An entry that leaves while it is checked (set aside by a run) was not damaged, and is not counted.
 */
export function verifyCache(root: string): { readonly checked: number; readonly damaged: DamagedEntry[] } {
  let checked = 0;
  const damaged = listEntries(root).flatMap((entry) => {
    const found = verifyEntry(entry.dir);
    if (found === null) return [];
    checked++;
    return isDamage(found) ? [{ entry, problem: found.problem }] : [];
  });
  return { checked, damaged };
}

export interface PrunedEntry {
  readonly entry: CacheEntryInfo;
  readonly reason: string;
}

export interface PruneOptions {
  readonly olderThanDays?: number;
  /** Entries a run used (or stored) less than this long ago are kept, and trash is deleted only this long after it was moved there; default 60. */
  readonly unusedForMinutes?: number;
  readonly now?: Date;
}

export const PRUNE_UNUSED_MINUTES = 60;

/** Why the entry should go: damaged, made by other code, or older than asked; undefined to keep it. */
function pruneReason(entry: CacheEntryInfo, options: PruneOptions, now: number): string | undefined {
  const ageDays = (now - entry.createdAt.getTime()) / 86_400_000;
  if (!entry.currentCode) return 'made by other albench code';
  if (options.olderThanDays !== undefined && ageDays > options.olderThanDays) return `stored ${ageDays.toFixed(1)} days ago`;
  const checked = verifyEntry(entry.dir);
  return isDamage(checked) ? `damaged: ${checked.problem}` : undefined;
}

/** Whether a run may be using the entry: its lock is held, or a run used it within the last `unusedMs`. */
function mayBeInUse(entry: CacheEntryInfo, root: string, unusedMs: number, now: number): boolean {
  const lock = lookAtLock(lockFile(root, entry.step, entry.key));
  if (lock !== null && !isStale(lock, now)) return true;
  const used = lastUsedMs(root, entry.step, entry.key) ?? entry.createdAt.getTime();
  return now - used < unusedMs;
}

/**
 * Moves to the trash damaged entries, entries the running albench did not make (other code: a run would
 * never look them up again) and, given `olderThanDays`, entries stored longer ago than that; but only
 * those no run may be using (mayBeInUse). Then deletes what was moved to the trash longer ago than
 * `unusedForMinutes`, when nothing can be reading it any more. The entries moved, with the bytes freed.
 */
export function pruneCache(root: string, options: PruneOptions = {}): { readonly pruned: PrunedEntry[]; readonly freedBytes: number } {
  const now = (options.now ?? new Date()).getTime();
  const unusedMs = (options.unusedForMinutes ?? PRUNE_UNUSED_MINUTES) * 60_000;
  const pruned: PrunedEntry[] = [];
  for (const entry of listEntries(root)) {
    const reason = pruneReason(entry, options, now);
    if (reason === undefined || mayBeInUse(entry, root, unusedMs, now)) continue;
    const ino = fs.statSync(entry.dir, { throwIfNoEntry: false })?.ino;
    if (ino === undefined || !setAside(root, entry.step, entry.key, entry.dir, ino, new Date(now))) continue;
    fs.rmSync(usedMarker(root, entry.step, entry.key), { force: true });
    pruned.push({ entry, reason });
  }
  return { pruned, freedBytes: emptyTrash(root, unusedMs, now) };
}
