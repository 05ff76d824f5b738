import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeDirAtomic } from '../util/atomic.js';
import { anyContent } from '../util/owned-folder.js';
import { safeLine } from '../util/safe-text.js';
import { RESULT_FILE, writeManifest } from './entry.js';
import { albenchCacheHome, isRemoteCache, LocalCacheStore, type CacheStore } from './store.js';
import { S3CacheStore } from './store-s3.js';
import { codeDigest } from './code-digest.js';

/** $ALBENCH_CACHE (a folder or s3://bucket/prefix), else albench/ under the XDG cache folder (~/.cache by default). */
export function defaultCacheDir(): string {
  return process.env['ALBENCH_CACHE'] || albenchCacheHome();
}

export function cacheKey(parts: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export interface Cached<T> { readonly value: T; readonly dir: string; readonly hit: boolean }

export interface StepCacheOptions {
  /** false: every lookup misses, so every step is recomputed; the fresh entries replace the old ones. */
  readonly reuse?: boolean;
  /** Where a warning about a damaged entry goes (one line, already made safe); stderr unless told. */
  readonly warn?: (line: string) => void;
}

/**
 * A content-addressed cache of compare's steps: each entry is a folder named by the sha256 of
 * everything the step depends on (input file hashes, settings, and the digest of albench's own
 * code, code-digest.ts), holding the step's files, its JSON result and a manifest of every file's
 * size and sha256 (cache-entry.ts). Entries appear atomically, so an interrupted run never leaves
 * one half-written; a changed input or changed code simply misses; an entry whose files no longer
 * match its manifest, or whose result cannot be read, is a miss that is rebuilt, with a warning.
 * The entries live in a local folder or, given `s3://bucket/prefix`, in object storage shared by
 * several machines (cache-store-s3.ts), used from a local mirror folder: `root`.
 */
export class StepCache {
  readonly hits: string[] = [];
  readonly misses: string[] = [];
  /** The warnings given about damaged entries, in order. */
  readonly warnings: string[] = [];
  /** The local folder holding the entries' folders (a remote cache's mirror). */
  readonly root: string;
  private readonly backend: CacheStore;
  private readonly reuse: boolean;
  private readonly warn: (line: string) => void;
  /** Entries a lookup found damaged: storing them again replaces a remote entry, which is otherwise never overwritten. */
  private readonly damaged = new Set<string>();

  /** `location`: a folder, or s3://bucket/prefix (see `open`, which checks a remote one can be used). */
  constructor(location: string, options: StepCacheOptions = {}) {
    this.backend = isRemoteCache(location) ? new S3CacheStore(location) : new LocalCacheStore(location);
    this.root = this.backend.localRoot;
    this.reuse = options.reuse ?? true;
    this.warn = options.warn ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** A cache ready to use: a remote one is reachable, its bucket exists and access is allowed, or a one-line error says what to do. */
  static async open(location: string, options: StepCacheOptions = {}): Promise<StepCache> {
    const cache = new StepCache(location, options);
    await cache.backend.open();
    return cache;
  }

  private keyOf(step: string, keyParts: unknown): string {
    return cacheKey({ code: codeDigest(), step, parts: keyParts });
  }

  /** The entry's result and folder, or null (counted as a miss) when there is none yet or it is damaged. */
  async lookup<T>(step: string, keyParts: unknown): Promise<Cached<T> | null> {
    const key = this.keyOf(step, keyParts);
    const dir = path.join(this.root, step, key);
    const entry = this.reuse ? await this.backend.read(step, key) : null;
    if (entry === null) {
      this.misses.push(step);
      return null;
    }
    if (typeof entry === 'string') {
      this.damaged.add(`${step}/${key}`);
      const line = safeLine(`warning: cache entry ${step} ${key} (${dir}) is damaged: ${entry}; rebuilding it`);
      this.warnings.push(line);
      this.warn(line);
      this.misses.push(step);
      return null;
    }
    this.hits.push(step);
    return { value: entry.value as T, dir, hit: true };
  }

  /** Makes the entry: `produce` fills a fresh folder whose result and manifest are stored beside its files. */
  async store<T>(step: string, keyParts: unknown, produce: (dir: string) => Promise<T> | T): Promise<Cached<T>> {
    const key = this.keyOf(step, keyParts);
    const dir = path.join(this.root, step, key);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const replaceDamaged = this.damaged.has(`${step}/${key}`);
    // An existing folder at this key is ours: a damaged entry, or one --no-cache recomputes.
    const value = await writeDirAtomic(dir, anyContent, async (tmp) => {
      const v = await produce(tmp);
      fs.writeFileSync(path.join(tmp, RESULT_FILE), JSON.stringify(v));
      const manifest = writeManifest(tmp, { step, key, code: codeDigest() });
      // Published from this process's own folder, before it is renamed into place: another process on this
      // machine storing the same key swaps its own folder in at `dir` (a mirror is shared), and an upload read
      // from there would send its files (other timings, other sizes) under this manifest's names and lengths.
      await this.backend.publish(tmp, manifest, replaceDamaged);
      return v;
    });
    this.damaged.delete(`${step}/${key}`);
    return { value, dir, hit: false };
  }

  /** lookup, else store. */
  async get<T>(step: string, keyParts: unknown, produce: (dir: string) => Promise<T> | T): Promise<Cached<T>> {
    return (await this.lookup<T>(step, keyParts)) ?? this.store(step, keyParts, produce);
  }
}
