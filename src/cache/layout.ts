import path from 'node:path';

/**
 * Where things live under a cache folder (or an S3 cache's local mirror): the entries
 * `<root>/<step>/<key>/`, and beside them, in folders whose names start with a dot (never a step's),
 * what albench keeps about them, so a step's folder holds entries only.
 */
export function entryDir(root: string, step: string, key: string): string {
  return path.join(root, step, key);
}

/** The per-key lock (lock.ts): held while a process looks up, computes and publishes the step. */
export function lockFile(root: string, step: string, key: string): string {
  return path.join(root, '.locks', step, `${key}.lock`);
}

/** An empty file whose modification time says when a run last used the entry (prune spares recently used entries). */
export function usedMarker(root: string, step: string, key: string): string {
  return path.join(root, '.used', step, key);
}

/** Where damaged and pruned entries are moved, to be deleted once nothing can still be reading them. */
export function trashDir(root: string): string {
  return path.join(root, '.trash');
}

/** Where a --no-cache run keeps what it computed for keys that already had an entry (no-cache-scratch.ts). */
export function noCacheDir(root: string): string {
  return path.join(root, '.no-cache');
}
