import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withTempDir } from '../util/atomic.js';
import { safeLine } from '../util/safe-text.js';
import { testPause } from '../util/test-pause.js';
import { isDamage, RESULT_FILE, writeManifest, type VerifiedEntry } from './entry.js';
import { entryDir, lockFile } from './layout.js';
import { acquireLock } from './lock.js';
import { NoCacheScratch } from './no-cache-scratch.js';
import { placeEntry } from './place.js';
import { albenchCacheHome, isRemoteCache, LocalCacheStore, type CacheStore } from './store.js';
import { S3CacheStore } from './store-s3.js';
import { codeDigest } from './code-digest.js';
import { setAside, touchUsed } from './trash.js';

/** $ALBENCH_CACHE (a folder or s3://bucket/prefix), else albench/ under the XDG cache folder (~/.cache by default). */
export function defaultCacheDir(): string {
  return process.env['ALBENCH_CACHE'] || albenchCacheHome();
}

export function cacheKey(parts: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export interface Cached<T> { readonly value: T; readonly dir: string; readonly hit: boolean }

export interface StepCacheOptions {
  /** false (--no-cache): every step is recomputed for this run; a result is published only where no valid entry stands. */
  readonly reuse?: boolean;
  /** Where a warning about a damaged entry goes (one line, already made safe); stderr unless told. */
  readonly warn?: (line: string) => void;
}

/** What to do with a computed result another writer's entry beat: use theirs, or (--no-cache) this run's own. */
type OnLoss = 'standing' | 'own';

/**
 * A content-addressed cache of compare's steps: each entry is a folder named by the sha256 of
 * everything the step depends on (input file hashes, settings, the machine facts of steps that run
 * a model, and the digest of albench's own code, code-digest.ts), holding the step's files, its JSON
 * result and a manifest of every file's size and sha256 (entry.ts). Many processes and machines may
 * share one cache, so an entry, once in place, is never moved or changed while it may be in use:
 * - it appears by one rename of a finished folder, and the first writer wins (place.ts); a loser
 *   uses the winner's entry and result;
 * - a per-key lock (lock.ts) makes a second process wait and then find the entry instead of
 *   computing it again; it only saves work, correctness never depends on it;
 * - a damaged entry (files that do not match the manifest, an unreadable result) is a miss, warned
 *   about, and set aside into the trash (trash.ts) rather than replaced in place.
 * The entries live in a local folder or, given `s3://bucket/prefix`, in object storage shared by
 * several machines (store-s3.ts), used from a local mirror folder: `root`.
 */
export class StepCache {
  readonly hits: string[] = [];
  readonly misses: string[] = [];
  /** The warnings given about damaged entries, in order. */
  readonly warnings: string[] = [];
  /** Look-ups that waited for another process computing the same step. */
  waits = 0;
  /** Results computed whose key another writer's entry took first. */
  lostRaces = 0;
  /** The local folder holding the entries' folders (a remote cache's mirror). */
  readonly root: string;
  private readonly backend: CacheStore;
  private readonly reuse: boolean;
  private readonly warn: (line: string) => void;
  /** Remote entries found damaged, by `<step>/<key>`: the version storing them again may replace (remote entries are otherwise never overwritten). */
  private readonly damaged = new Map<string, string>();
  private readonly scratch: NoCacheScratch;

  /** `location`: a folder, or s3://bucket/prefix (see `open`, which checks a remote one can be used). */
  constructor(location: string, options: StepCacheOptions = {}) {
    this.backend = isRemoteCache(location) ? new S3CacheStore(location) : new LocalCacheStore(location);
    this.root = this.backend.localRoot;
    this.reuse = options.reuse ?? true;
    this.warn = options.warn ?? ((line) => process.stderr.write(`${line}\n`));
    this.scratch = new NoCacheScratch(this.root);
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

  /** The entry verified, or null when there is none; a damaged one is warned about, set aside, and null. */
  private async find(step: string, key: string): Promise<VerifiedEntry | null> {
    const dir = entryDir(this.root, step, key);
    const found = await this.backend.read(step, key);
    if (found === null) return null;
    if (!isDamage(found)) {
      touchUsed(this.root, step, key);
      return found;
    }
    if (found.ino !== undefined) setAside(this.root, step, key, dir, found.ino);
    if (found.remoteVersion !== undefined) this.damaged.set(`${step}/${key}`, found.remoteVersion);
    const line = safeLine(`warning: cache entry ${step} ${key} (${dir}) is damaged: ${found.problem}; rebuilding it`);
    this.warnings.push(line);
    this.warn(line);
    return null;
  }

  private hit<T>(step: string, key: string, entry: VerifiedEntry): Cached<T> {
    this.hits.push(step);
    return { value: entry.value as T, dir: entryDir(this.root, step, key), hit: true };
  }

  /** The entry's result and folder, or null (counted as a miss) when there is none yet or it is damaged. */
  async lookup<T>(step: string, keyParts: unknown): Promise<Cached<T> | null> {
    const key = this.keyOf(step, keyParts);
    const entry = this.reuse ? await this.find(step, key) : null;
    if (entry === null) {
      this.misses.push(step);
      return null;
    }
    return this.hit(step, key, entry);
  }

  /** Computes the entry and publishes it where no valid one stands; the result used is the entry's (see OnLoss). */
  async store<T>(step: string, keyParts: unknown, produce: (dir: string) => Promise<T> | T): Promise<Cached<T>> {
    return this.compute(step, this.keyOf(step, keyParts), produce, this.reuse ? 'standing' : 'own');
  }

  /**
   * The entry, else computed and published, under the key's lock so that a second process waits and
   * finds it. Under --no-cache every step is computed for this run.
   */
  async get<T>(step: string, keyParts: unknown, produce: (dir: string) => Promise<T> | T): Promise<Cached<T>> {
    const key = this.keyOf(step, keyParts);
    if (!this.reuse) {
      this.misses.push(step);
      return this.compute(step, key, produce, 'own');
    }
    const found = await this.find(step, key);
    if (found !== null) return this.hit(step, key, found);
    let waited = false;
    const lock = await acquireLock(lockFile(this.root, step, key), async () => {
      waited = true;
      this.waits++;
      await testPause(`cache.waiting.${step}`);
    });
    try {
      // Whoever held the lock has most likely just published the entry (or did so just before this process took it).
      const published = waited || fs.existsSync(entryDir(this.root, step, key)) ? await this.find(step, key) : null;
      if (published !== null) return this.hit(step, key, published);
      this.misses.push(step);
      return await this.compute(step, key, produce, 'standing');
    } finally {
      lock.release();
    }
  }

  /** `produce` fills a fresh folder beside the entry's; its result and manifest are written in it, then it is published. */
  private async compute<T>(step: string, key: string, produce: (dir: string) => Promise<T> | T, onLoss: OnLoss): Promise<Cached<T>> {
    const dir = entryDir(this.root, step, key);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    return withTempDir(dir, async (tmp) => {
      const value = await produce(tmp);
      fs.writeFileSync(path.join(tmp, RESULT_FILE), JSON.stringify(value));
      const manifest = writeManifest(tmp, { step, key, code: codeDigest() });
      await testPause(`cache.produced.${step}`);
      // Published from this process's own folder, before it is renamed into place: the upload can only send these files.
      const remote = await this.backend.publish(tmp, manifest, this.damaged.get(`${step}/${key}`));
      const placed = remote === 'won' ? placeEntry(this.root, step, key, tmp) : null;
      if (placed?.placed === true) {
        this.damaged.delete(`${step}/${key}`);
        touchUsed(this.root, step, key);
        await testPause(`cache.published.${step}`);
        return { value, dir, hit: false };
      }
      this.lostRaces++;
      const standing = onLoss === 'own' ? null : placed?.standing ?? await this.find(step, key);
      if (standing !== null) return { value: standing.value as T, dir, hit: false };
      // --no-cache, or a remote winner this machine cannot see yet: this run uses its own result, outside the entries.
      return { value, dir: this.scratch.keep(tmp, step, key), hit: false };
    });
  }
}
