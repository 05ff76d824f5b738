import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDirAtomic } from '../util/atomic.js';
import { anyContent } from '../util/owned-folder.js';

/** $ALBENCH_CACHE, else albench/ under the XDG cache folder (~/.cache by default). */
export function defaultCacheDir(): string {
  if (process.env['ALBENCH_CACHE']) return process.env['ALBENCH_CACHE'];
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'albench');
}

export function cacheKey(parts: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const RESULT_FILE = 'result.json';

export interface Cached<T> { readonly value: T; readonly dir: string; readonly hit: boolean }

/**
 * A content-addressed cache of compare's steps: each entry is a folder named by the sha256 of
 * everything the step depends on (input file hashes, settings, albench's version), holding the
 * step's files and its JSON result. Entries appear atomically, so an interrupted run never
 * leaves one half-written, and a changed input simply misses.
 */
export class StepCache {
  readonly hits: string[] = [];
  readonly misses: string[] = [];

  constructor(readonly root: string) {}

  private dirOf(step: string, keyParts: unknown): string {
    return path.join(this.root, step, cacheKey(keyParts));
  }

  /** The entry's result and folder, or null (counted as a miss) when there is none yet. */
  lookup<T>(step: string, keyParts: unknown): Cached<T> | null {
    const dir = this.dirOf(step, keyParts);
    const resultFile = path.join(dir, RESULT_FILE);
    if (!fs.existsSync(resultFile)) {
      this.misses.push(step);
      return null;
    }
    this.hits.push(step);
    return { value: JSON.parse(fs.readFileSync(resultFile, 'utf8')) as T, dir, hit: true };
  }

  /** Makes the entry: `produce` fills a fresh folder whose result is stored beside its files. */
  async store<T>(step: string, keyParts: unknown, produce: (dir: string) => Promise<T> | T): Promise<Cached<T>> {
    const dir = this.dirOf(step, keyParts);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const value = await writeDirAtomic(dir, anyContent, async (tmp) => {
      const v = await produce(tmp);
      fs.writeFileSync(path.join(tmp, RESULT_FILE), JSON.stringify(v));
      return v;
    });
    return { value, dir, hit: false };
  }

  /** lookup, else store. */
  async get<T>(step: string, keyParts: unknown, produce: (dir: string) => Promise<T> | T): Promise<Cached<T>> {
    return this.lookup<T>(step, keyParts) ?? this.store(step, keyParts, produce);
  }
}
