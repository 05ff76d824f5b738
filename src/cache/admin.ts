import fs from 'node:fs';
import path from 'node:path';
import { checkEntry, KEY_PATTERN, MANIFEST_FILE, readManifest, RESULT_FILE } from './entry.js';
import { codeDigest } from './code-digest.js';

/**
 * `albench cache list | verify | prune`: the step cache seen from outside a run. Only folders
 * albench made are entries: `<root>/<step>/<sha256 hex>/`, a real folder (not a link) holding
 * its manifest.json or, for entries made before manifests, its result.json. Anything else under
 * the root is left alone, whatever it is.
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

/** Checks every entry as a run would before using it (manifest, sizes, sha256, result.json); the damaged ones. */
export function verifyCache(root: string): { readonly checked: number; readonly damaged: DamagedEntry[] } {
  const entries = listEntries(root);
  const damaged = entries.flatMap((entry) => {
    const checked = checkEntry(entry.dir);
    return typeof checked === 'string' ? [{ entry, problem: checked }] : [];
  });
  return { checked: entries.length, damaged };
}

export interface PrunedEntry {
  readonly entry: CacheEntryInfo;
  readonly reason: string;
}

/**
 * Removes damaged entries, entries the running albench did not make (other code: a run would never
 * look them up again) and, given `olderThanDays`, entries stored longer ago than that.
 */
export function pruneCache(root: string, options: { readonly olderThanDays?: number; readonly now?: Date } = {}): PrunedEntry[] {
  const now = (options.now ?? new Date()).getTime();
  const pruned: PrunedEntry[] = [];
  for (const entry of listEntries(root)) {
    const ageDays = (now - entry.createdAt.getTime()) / 86_400_000;
    let reason: string | undefined;
    if (!entry.currentCode) reason = 'made by other albench code';
    else if (options.olderThanDays !== undefined && ageDays > options.olderThanDays) reason = `stored ${ageDays.toFixed(1)} days ago`;
    else {
      const checked = checkEntry(entry.dir);
      if (typeof checked === 'string') reason = `damaged: ${checked}`;
    }
    if (reason === undefined) continue;
    fs.rmSync(entry.dir, { recursive: true, force: true });
    pruned.push({ entry, reason });
  }
  return pruned;
}
