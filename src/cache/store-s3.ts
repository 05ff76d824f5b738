import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { withTempDir } from '../util/atomic.js';
import { jsonSyntaxProblem } from '../util/safe-text.js';
import { testPause } from '../util/test-pause.js';
import { isDamage, isManifest, MANIFEST_FILE, type Manifest } from './entry.js';
import { entryDir } from './layout.js';
import { placeEntry } from './place.js';
import {
  connectS3, describeLocation, errorName, httpStatus, mirrorRoot, parseS3Location, s3Failure, type S3Connection, type S3Location,
} from './s3-client.js';
import type { CacheStore, Found, Published, StoreDamage } from './store.js';
import { setAside } from './trash.js';
import { verifyEntry } from './verify.js';

/** Tries of one PUT before giving up: the SDK does not try an upload again (its body is a stream, read once). */
const PUT_ATTEMPTS = 3;
/**
 * Reads of a manifest that does not parse, and downloads of an entry whose files do not match it, before
 * it counts as damaged: a server without atomic overwrites (s3rver) can serve an object half rewritten.
 */
const DOWNLOADS = 2;
/** Tries of one S3 read (a request, then its body) before giving up: the SDK does not try again once a body has started. */
const READ_TRIES = 3;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A manifest as stored: its text and the version (ETag) a repair replaces conditionally. */
interface RemoteManifest {
  readonly text: string;
  readonly version: string | undefined;
}

/** The condition of a PUT: none (content-named files), only where nothing is, or only over one version. */
type PutCondition = { readonly IfNoneMatch: '*' } | { readonly IfMatch: string } | Record<string, never>;

const SHA256 = /^[0-9a-f]{64}$/;

/** A manifest path that stays inside the entry folder when written there. */
function safeRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * The step cache in S3-compatible object storage. An entry is the objects under
 * `<prefix>/<step>/<key>/`: each file at `<sha256>/<path>` (named by its content), then
 * manifest.json, written last: an entry exists only once its manifest does, and the manifest only
 * names objects already complete. The first manifest wins: one is put only where none exists (a HEAD
 * first, then `If-None-Match: *`, which S3 honours), then read back, so on a server that ignores the
 * condition the writers still agree on the one stored; a loser uses the winner's entry. A damaged
 * entry is replaced only over the very version found damaged (`If-Match`). Entries are used from a
 * local mirror folder, verified there against the manifest (sizes, sha256) like a local entry, and
 * downloaded into it as a local entry is published: complete, by one rename, first one wins.
 */
export class S3CacheStore implements CacheStore {
  readonly location: string;
  readonly localRoot: string;
  private readonly at: S3Location;
  private connection: Promise<S3Connection> | undefined;

  constructor(location: string) {
    this.at = parseS3Location(location);
    this.location = describeLocation(this.at);
    this.localRoot = mirrorRoot(this.at);
  }

  private s3(): Promise<S3Connection> {
    this.connection ??= connectS3(this.at);
    return this.connection;
  }

  private objectKey(step: string, key: string, rest: string): string {
    return [this.at.prefix, step, key, rest].filter((p) => p !== '').join('/');
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw s3Failure(this.at, what, e);
    }
  }

  async open(): Promise<void> {
    const { sdk, client } = await this.s3();
    await this.call('opening the cache', () => client.send(new sdk.HeadBucketCommand({ Bucket: this.at.bucket })));
  }

  /** An S3 read, tried again after a pause when it fails (a connection reset, a body cut short): a read has nothing to undo. */
  private async reading<T>(what: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt >= READ_TRIES) throw s3Failure(this.at, what, e);
        await pause(250 * attempt);
      }
    }
  }

  /** The manifest, or null when the entry does not exist (yet). */
  private async remoteManifest(step: string, key: string): Promise<RemoteManifest | null> {
    const Key = this.objectKey(step, key, MANIFEST_FILE);
    const { sdk, client } = await this.s3();
    return this.reading(`reading ${Key}`, async () => {
      try {
        const got = await client.send(new sdk.GetObjectCommand({ Bucket: this.at.bucket, Key }));
        return { text: got.Body === undefined ? '' : await got.Body.transformToString('utf8'), version: got.ETag };
      } catch (e) {
        if (errorName(e) === 'NoSuchKey' || (httpStatus(e) === 404 && errorName(e) !== 'NoSuchBucket')) return null;
        throw e;
      }
    });
  }

  private parseManifest(text: string, step: string, key: string): Manifest | string {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return `${MANIFEST_FILE} in ${this.location} ${jsonSyntaxProblem(e)}`;
    }
    if (!isManifest(value) || value.step !== step || value.key !== key) return `${MANIFEST_FILE} in ${this.location} is not this entry's manifest`;
    const bad = value.files.find((f) => !safeRelative(f.path) || !SHA256.test(f.sha256));
    return bad === undefined ? value : `${MANIFEST_FILE} in ${this.location} names an unusable file (${bad.path})`;
  }

  private async download(step: string, key: string, manifest: Manifest, text: string, dir: string): Promise<void> {
    const { sdk, client } = await this.s3();
    for (const f of manifest.files) {
      const Key = this.objectKey(step, key, `${f.sha256}/${f.path}`);
      const target = path.join(dir, ...f.path.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await this.reading(`reading ${Key}`, async () => {
        const got = await client.send(new sdk.GetObjectCommand({ Bucket: this.at.bucket, Key }));
        if (!(got.Body instanceof Readable)) throw new Error('no object body');
        await pipeline(got.Body, fs.createWriteStream(target));
      });
    }
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), text);
  }

  /** The remote manifest, parsed: null when there is none, damage when it cannot be used even on a second look. */
  private async manifestOf(step: string, key: string): Promise<{ readonly manifest: Manifest; readonly remote: RemoteManifest } | StoreDamage | null> {
    for (let look = 1; ; look++) {
      const remote = await this.remoteManifest(step, key);
      if (remote === null) return null;
      const manifest = this.parseManifest(remote.text, step, key);
      if (typeof manifest !== 'string') return { manifest, remote };
      if (look >= DOWNLOADS) return { problem: manifest, missing: false, remoteVersion: remote.version ?? '' };
      await pause(250);
    }
  }

  async read(step: string, key: string): Promise<Found> {
    const dir = entryDir(this.localRoot, step, key);
    // A mirrored entry that still verifies is the remote one (entries are immutable): no download. A damaged copy is set aside.
    const local = verifyEntry(dir);
    if (local !== null && !isDamage(local)) return local;
    if (local !== null) setAside(this.localRoot, step, key, dir, local.ino);
    const got = await this.manifestOf(step, key);
    if (got === null || 'problem' in got) return got;
    const { manifest, remote } = got;
    for (let attempt = 1; ; attempt++) {
      const found = await withTempDir(dir, async (tmp): Promise<Found> => {
        await this.download(step, key, manifest, remote.text, tmp);
        const checked = verifyEntry(tmp);
        if (checked === null || isDamage(checked)) return checked;
        await testPause(`s3.downloaded.${step}`);
        const placed = placeEntry(this.localRoot, step, key, tmp);
        return placed.placed ? checked : placed.standing;
      });
      if (found !== null && !isDamage(found)) return found;
      if (attempt >= DOWNLOADS) {
        const problem = found === null ? 'the download vanished' : found.problem;
        return { problem: `${problem} (downloaded from ${this.location})`, missing: false, remoteVersion: remote.version ?? '' };
      }
    }
  }

  private async exists(Key: string): Promise<boolean> {
    const { sdk, client } = await this.s3();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.at.bucket, Key }));
      return true;
    } catch (e) {
      if (httpStatus(e) === 404) return false;
      throw s3Failure(this.at, `checking ${Key}`, e);
    }
  }

  private async put(Key: string, file: string, bytes: number, condition: PutCondition, attempt = 0): Promise<'stored' | 'exists'> {
    const Bucket = this.at.bucket;
    const { sdk, client } = await this.s3();
    const conditional = Object.keys(condition).length > 0;
    try {
      await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body: fs.createReadStream(file), ContentLength: bytes, ...condition }));
      return 'stored';
    } catch (e) {
      // 412: another writer's manifest got there first (or repaired the damaged one first); theirs names complete objects too.
      if (conditional && httpStatus(e) === 412) return 'exists';
      // A server that refuses conditional writes: the look before was the check, and the read back after settles it.
      if (conditional && httpStatus(e) === 501) return this.put(Key, file, bytes, {});
      // A failed upload is tried again from a fresh stream, unless another writer stored the key meanwhile: its
      // object is named by the same content, or is a manifest naming complete objects, so theirs will do.
      if (!conditional && attempt < PUT_ATTEMPTS - 1) {
        await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
        if (await this.exists(Key)) return 'exists';
        return this.put(Key, file, bytes, {}, attempt + 1);
      }
      throw s3Failure(this.at, `writing ${Key}`, e);
    }
  }

  /** Whether another writer's manifest stands already (or, for a repair, the damaged version was replaced already). */
  private async beaten(step: string, key: string, replacing: string | undefined): Promise<boolean> {
    if (replacing === undefined) return this.exists(this.objectKey(step, key, MANIFEST_FILE));
    return (await this.remoteManifest(step, key))?.version !== replacing;
  }

  async publish(dir: string, manifest: Manifest, replacing: string | undefined): Promise<Published> {
    const { step, key } = manifest;
    if (await this.beaten(step, key, replacing)) return 'lost';
    for (const f of manifest.files) {
      const objectKey = this.objectKey(step, key, `${f.sha256}/${f.path}`);
      // Named by its content, an object already there holds these bytes; a repair uploads every file again, the damaged one among them.
      if (replacing === undefined && await this.exists(objectKey)) continue;
      await this.put(objectKey, path.join(dir, ...f.path.split('/')), f.bytes, {});
    }
    await testPause(`s3.uploaded.${step}`);
    const manifestFile = path.join(dir, MANIFEST_FILE);
    const text = fs.readFileSync(manifestFile, 'utf8');
    const condition: PutCondition = replacing === undefined ? { IfNoneMatch: '*' } : replacing === '' ? {} : { IfMatch: replacing };
    const manifestKey = this.objectKey(step, key, MANIFEST_FILE);
    // Looked at again just before: the uploads take a while, and a server that ignores the condition would let this overwrite another's.
    if (await this.beaten(step, key, replacing)) return 'lost';
    if (await this.put(manifestKey, manifestFile, Buffer.byteLength(text), condition) === 'exists') return 'lost';
    // Read back: a server that ignores the condition keeps the last manifest written, and every writer must use the one kept.
    return (await this.remoteManifest(step, key))?.text === text ? 'won' : 'lost';
  }
}
