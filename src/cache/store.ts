import os from 'node:os';
import path from 'node:path';
import type { Damage, Manifest, VerifiedEntry } from './entry.js';
import { entryDir } from './layout.js';
import { verifyEntry } from './verify.js';

/** A damaged entry as a store found it: `ino`, the local folder to set aside; `remoteVersion`, the remote manifest a repair may replace. */
export interface StoreDamage extends Damage {
  readonly ino?: number;
  readonly remoteVersion?: string;
}

/** What a store found at a key: the entry verified, nothing, or damage. */
export type Found = VerifiedEntry | StoreDamage | null;

/** Whether another writer's entry stood first (the publisher then uses that one), or this one's is the entry. */
export type Published = 'won' | 'lost';

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
  /** The entry, verified, in its folder `<localRoot>/<step>/<key>`; null when there is none; damage. */
  read(step: string, key: string): Promise<Found>;
  /**
   * Makes a complete entry (`manifest` written in it), still in its temporary folder `dir`, known to
   * the store unless another writer's got there first. `replacing`: the damaged remote version read found.
   */
  publish(dir: string, manifest: Manifest, replacing: string | undefined): Promise<Published>;
}

/** The cache in a local folder: `<root>/<step>/<key>/`; the rename into place (place.ts) is all publishing takes. */
export class LocalCacheStore implements CacheStore {
  readonly localRoot: string;
  constructor(readonly location: string) {
    this.localRoot = location;
  }

  async open(): Promise<void> {}

  async read(step: string, key: string): Promise<Found> {
    return verifyEntry(entryDir(this.localRoot, step, key));
  }

  async publish(): Promise<Published> {
    return 'won';
  }
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
