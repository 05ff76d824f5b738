import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkEntry, type Manifest, type VerifiedEntry } from './entry.js';

/**
 * Where the step cache keeps its entries. Every entry is used from a local folder (steps read and
 * write files); a store says where that folder is, finds an entry (verified against its manifest)
 * and, for a remote store, publishes a freshly made local entry so other machines find it.
 */
export interface CacheStore {
  /** The cache as the user named it (a folder, s3://bucket/prefix), for messages. */
  readonly location: string;
  /** The local folder holding the entries' folders: the cache folder itself, or a remote cache's local mirror. */
  readonly localRoot: string;
  /** Checks the store can be used (a remote one: reachable, the bucket there, access allowed); throws a one-line error. */
  open(): Promise<void>;
  /** The entry, verified, in its folder `<localRoot>/<step>/<key>`; null when there is none; a string saying why it is damaged. */
  read(step: string, key: string): Promise<VerifiedEntry | null | string>;
  /**
   * Makes a complete entry (`manifest` written in it) known to the store; `replaceDamaged` when read found it damaged.
   * `dir` is the entry's folder before it is renamed into place under localRoot: only this process writes it.
   */
  publish(dir: string, manifest: Manifest, replaceDamaged: boolean): Promise<void>;
}

/** The cache in a local folder: `<root>/<step>/<key>/` (today's layout); publishing is a no-op. */
export class LocalCacheStore implements CacheStore {
  readonly localRoot: string;
  constructor(readonly location: string) {
    this.localRoot = location;
  }

  async open(): Promise<void> {}

  async read(step: string, key: string): Promise<VerifiedEntry | null | string> {
    const dir = path.join(this.localRoot, step, key);
    return fs.existsSync(dir) ? checkEntry(dir) : null;
  }

  async publish(): Promise<void> {}
}

/** albench/ under the XDG cache folder (~/.cache by default): the default cache folder, and where S3 caches are mirrored. */
export function albenchCacheHome(): string {
  return path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'albench');
}

export const S3_SCHEME = 's3://';

/** Whether a --cache value (or $ALBENCH_CACHE) names object storage instead of a folder. */
export function isRemoteCache(location: string): boolean {
  return location.startsWith(S3_SCHEME);
}
