import fs from 'node:fs';
import path from 'node:path';
import { isManifest, KEY_PATTERN, MANIFEST_FILE } from '../cache/entry.js';
import { DeployError } from '../errors.js';
import { sha256FileSync } from '../util/sha256.js';

/**
 * Finds the variant's file in compare's step cache by its sha256. The report's `file` is where
 * compare left it (relative to the cache); when that no longer holds those bytes (the entry was
 * rebuilt, or the cache moved), every entry's manifest (`<cache>/<step>/<key>/manifest.json`) is
 * scanned for a file with the same sha256, and the file found is hashed again before it is used.
 */
export function findInCache(cacheRoot: string, file: string, sha256: string): string {
  const recorded = path.resolve(cacheRoot, file);
  // The report is input: a `file` that leads out of the cache (../../dev/zero) is never read, only the scan is tried.
  const inside = recorded.startsWith(path.resolve(cacheRoot) + path.sep);
  const recordedExists = inside && fs.statSync(recorded, { throwIfNoEntry: false })?.isFile() === true;
  if (recordedExists && sha256FileSync(recorded) === sha256) return recorded;
  const found = scanManifests(cacheRoot, sha256);
  if (found !== undefined) return found;
  const how = recordedExists ? 'has changed since the report was written (its sha256 differs)' : 'is missing';
  throw new DeployError(`${recorded} ${how}, and no cache entry under ${cacheRoot} holds a file with the report's sha256 ${sha256}; `
    + 'give the cache compare used with --cache, or run albench compare again to rebuild it');
}

function scanManifests(cacheRoot: string, sha256: string): string | undefined {
  for (const step of subfolders(cacheRoot)) {
    for (const key of subfolders(path.join(cacheRoot, step)).filter((k) => KEY_PATTERN.test(k))) {
      const entry = path.join(cacheRoot, step, key);
      const manifest = readJson(path.join(entry, MANIFEST_FILE));
      if (!isManifest(manifest)) continue;
      for (const f of manifest.files.filter((m) => m.sha256 === sha256)) {
        const candidate = path.join(entry, ...f.path.split('/'));
        if (fs.existsSync(candidate) && sha256FileSync(candidate) === sha256) return candidate;
      }
    }
  }
  return undefined;
}

function subfolders(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** A manifest that cannot be read is an entry that cannot be vouched for: it is skipped. */
function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
