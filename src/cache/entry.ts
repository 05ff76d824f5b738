import fs from 'node:fs';
import path from 'node:path';
import { jsonSyntaxProblem } from '../util/safe-text.js';
import { sha256FileSync } from '../util/sha256.js';

/**
 * One entry of the step cache on disk: `<root>/<step>/<key>/` holding the step's files, its
 * result.json and manifest.json, which records who made the entry (albench, with which code) and
 * the size and sha256 of every other file in it, so a damaged entry is found before it is used.
 */
export const RESULT_FILE = 'result.json';
export const MANIFEST_FILE = 'manifest.json';
/** Marks a manifest as albench's; prune removes only folders that carry it or an older entry's result.json. */
export const MANIFEST_KIND = 'albench-step-cache-entry';
/** A cache key (sha256 hex); entry folders are named by one. */
export const KEY_PATTERN = /^[0-9a-f]{64}$/;

export interface ManifestFile {
  /** Relative to the entry folder, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly kind: typeof MANIFEST_KIND;
  readonly step: string;
  readonly key: string;
  /** codeDigest() of the albench that made the entry. */
  readonly code: string;
  readonly createdAt: string;
  readonly files: readonly ManifestFile[];
}

/** Every regular file under `dir` but the manifest, relative with `/`, sorted; a link or other oddity is named as a problem. */
function entryFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((d) => {
    const rel = prefix === '' ? d.name : `${prefix}/${d.name}`;
    if (d.isDirectory()) return entryFiles(dir, rel);
    if (!d.isFile()) throw new Error(`${rel} is not a regular file`);
    return rel === MANIFEST_FILE ? [] : [rel];
  }).sort();
}

/** Writes the manifest of a freshly filled entry folder, and returns it. */
export function writeManifest(dir: string, identity: Pick<Manifest, 'step' | 'key' | 'code'>): Manifest {
  const files = entryFiles(dir).map((rel) => {
    const file = path.join(dir, rel);
    return { path: rel, bytes: fs.statSync(file).size, sha256: sha256FileSync(file) };
  });
  const manifest: Manifest = { kind: MANIFEST_KIND, ...identity, createdAt: new Date().toISOString(), files };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

export function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const fileOk = (f: unknown): boolean => typeof f === 'object' && f !== null && typeof (f as ManifestFile).path === 'string'
    && typeof (f as ManifestFile).bytes === 'number' && typeof (f as ManifestFile).sha256 === 'string';
  return m['kind'] === MANIFEST_KIND && typeof m['step'] === 'string' && typeof m['key'] === 'string' && typeof m['code'] === 'string'
    && typeof m['createdAt'] === 'string' && Array.isArray(m['files']) && m['files'].every(fileOk);
}

/** The entry's manifest, or why there is no usable one. */
export function readManifest(dir: string): Manifest | string {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return `${MANIFEST_FILE} is missing`;
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return `${MANIFEST_FILE} ${jsonSyntaxProblem(e)}`;
  }
  return isManifest(value) ? value : `${MANIFEST_FILE} is not an albench cache manifest`;
}

/** What is wrong with an entry; `missing`: a file or the folder itself was not there (see verify.ts: look again before calling it damage). */
export interface Damage {
  readonly problem: string;
  readonly missing: boolean;
}

export function isDamage(checked: VerifiedEntry | Damage | null): checked is Damage {
  return checked !== null && 'problem' in checked;
}

const damage = (problem: string, missing = false): Damage => ({ problem, missing });

/**
 * What is wrong with the entry's files against its manifest (sizes, then hashes), or null when nothing is.
 * Every file is hashed on read: hashing is small beside evaluating or timing, and a damaged entry must not be used.
 */
function checkFiles(dir: string, manifest: Manifest): Damage | null {
  let present: string[];
  try {
    present = entryFiles(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return damage(`${path.basename(dir)} is missing`, true);
    return damage(e instanceof Error ? e.message : String(e));
  }
  const recorded = new Set(manifest.files.map((f) => f.path));
  const extra = present.find((rel) => !recorded.has(rel));
  if (extra !== undefined) return damage(`${extra} is not in ${MANIFEST_FILE}`);
  for (const f of manifest.files) {
    if (!present.includes(f.path)) return damage(`${f.path} is missing`, true);
    const bytes = fs.statSync(path.join(dir, f.path)).size;
    if (bytes !== f.bytes) return damage(`${f.path} has ${bytes} bytes, ${f.bytes} when stored`);
  }
  const changed = manifest.files.find((f) => sha256FileSync(path.join(dir, f.path)) !== f.sha256);
  return changed === undefined ? null : damage(`${changed.path} does not match its sha256 recorded when stored`);
}

/** The entry's result, or why it cannot be read. */
export function readResult(dir: string): { readonly value: unknown } | string {
  const file = path.join(dir, RESULT_FILE);
  if (!fs.existsSync(file)) return `${RESULT_FILE} is missing`;
  try {
    return { value: JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch (e) {
    return `${RESULT_FILE} ${jsonSyntaxProblem(e)}`;
  }
}

/** An entry found whole: its manifest and its result. */
export interface VerifiedEntry {
  readonly manifest: Manifest;
  readonly value: unknown;
}

/**
 * Everything checkable about an entry: its manifest, its files' sizes and hashes, its result. A file
 * that vanishes while it is checked (the folder set aside by another process) is a Damage marked missing,
 * never a thrown ENOENT.
 */
export function checkEntry(dir: string): VerifiedEntry | Damage {
  try {
    const manifest = readManifest(dir);
    if (typeof manifest === 'string') return damage(manifest, !fs.existsSync(path.join(dir, MANIFEST_FILE)));
    const problem = checkFiles(dir, manifest);
    if (problem !== null) return problem;
    const result = readResult(dir);
    return typeof result === 'string' ? damage(result, !fs.existsSync(path.join(dir, RESULT_FILE))) : { manifest, value: result.value };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return damage('a file vanished while it was checked', true);
    throw e;
  }
}
