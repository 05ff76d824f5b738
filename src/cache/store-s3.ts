import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeDirAtomic } from '../util/atomic.js';
import { anyContent } from '../util/owned-folder.js';
import { jsonSyntaxProblem } from '../util/safe-text.js';
import { checkEntry, isManifest, MANIFEST_FILE, type Manifest, type VerifiedEntry } from './entry.js';
import {
  connectS3, describeLocation, errorName, httpStatus, mirrorRoot, parseS3Location, s3Failure, type S3Connection, type S3Location,
} from './s3-client.js';
import type { CacheStore } from './store.js';

/** Tries of one PUT before giving up: the SDK does not try an upload again (its body is a stream, read once). */
const PUT_ATTEMPTS = 3;

const SHA256 = /^[0-9a-f]{64}$/;

/** A manifest path that stays inside the entry folder when written there. */
function safeRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * The step cache in S3-compatible object storage. An entry is the objects under
 * `<prefix>/<step>/<key>/`: each file at `<sha256>/<path>` (named by its content), then
 * manifest.json, written last: an entry exists only once its manifest does, and the manifest only
 * names objects already complete. Entries are immutable: a manifest is put only where none exists
 * (a HEAD first, then `If-None-Match: *`, which S3 honours and a server without conditional writes
 * ignores). Two writers racing on one key each upload their own files first; identical files are
 * identical objects, and files that differ (a timing, a non-deterministic step) have different
 * names, so whichever manifest ends up stored names a complete, consistent set of objects. The only
 * manifest replaced is one a reader found damaged. Entries are used from a local mirror folder,
 * verified there against the manifest (sizes, sha256) like a local entry.
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

  /** The manifest's text, or null when the entry does not exist (yet). */
  private async remoteManifest(step: string, key: string): Promise<string | null> {
    const Key = this.objectKey(step, key, MANIFEST_FILE);
    const { sdk, client } = await this.s3();
    try {
      const got = await client.send(new sdk.GetObjectCommand({ Bucket: this.at.bucket, Key }));
      return got.Body === undefined ? '' : await got.Body.transformToString('utf8');
    } catch (e) {
      if (errorName(e) === 'NoSuchKey' || (httpStatus(e) === 404 && errorName(e) !== 'NoSuchBucket')) return null;
      throw s3Failure(this.at, `reading ${Key}`, e);
    }
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
      await this.call(`reading ${Key}`, async () => {
        const got = await client.send(new sdk.GetObjectCommand({ Bucket: this.at.bucket, Key }));
        if (!(got.Body instanceof Readable)) throw new Error('no object body');
        await pipeline(got.Body, fs.createWriteStream(target));
      });
    }
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), text);
  }

  async read(step: string, key: string): Promise<VerifiedEntry | null | string> {
    const dir = path.join(this.localRoot, step, key);
    // A mirrored entry that still verifies is the remote one (entries are immutable): no download.
    if (fs.existsSync(dir)) {
      const local = checkEntry(dir);
      if (typeof local !== 'string') return local;
    }
    const text = await this.remoteManifest(step, key);
    if (text === null) return null;
    const manifest = this.parseManifest(text, step, key);
    if (typeof manifest === 'string') return manifest;
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await writeDirAtomic(dir, anyContent, (tmp) => this.download(step, key, manifest, text, tmp));
    const entry = checkEntry(dir);
    return typeof entry === 'string' ? `${entry} (downloaded from ${this.location})` : entry;
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

  private async put(Key: string, file: string, bytes: number, ifNoneMatch: boolean, attempt = 0): Promise<'stored' | 'exists'> {
    const Bucket = this.at.bucket;
    const { sdk, client } = await this.s3();
    try {
      await client.send(new sdk.PutObjectCommand({
        Bucket, Key, Body: fs.createReadStream(file), ContentLength: bytes, ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
      }));
      return 'stored';
    } catch (e) {
      // 412: another writer's manifest got there first; theirs names complete objects too.
      if (ifNoneMatch && httpStatus(e) === 412) return 'exists';
      // A server that refuses conditional writes: the HEAD before was the check.
      if (ifNoneMatch && httpStatus(e) === 501) return this.put(Key, file, bytes, false);
      // A failed upload is tried again from a fresh stream, unless another writer stored the key meanwhile: its
      // object is named by the same content, or is a manifest naming complete objects, so theirs will do.
      if (!ifNoneMatch && attempt < PUT_ATTEMPTS - 1) {
        await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
        if (await this.exists(Key)) return 'exists';
        return this.put(Key, file, bytes, false, attempt + 1);
      }
      throw s3Failure(this.at, `writing ${Key}`, e);
    }
  }

  async publish(dir: string, manifest: Manifest, replaceDamaged: boolean): Promise<void> {
    const { step, key } = manifest;
    const manifestKey = this.objectKey(step, key, MANIFEST_FILE);
    if (!replaceDamaged && await this.exists(manifestKey)) return;
    for (const f of manifest.files) {
      await this.put(this.objectKey(step, key, `${f.sha256}/${f.path}`), path.join(dir, ...f.path.split('/')), f.bytes, false);
    }
    const manifestFile = path.join(dir, MANIFEST_FILE);
    await this.put(manifestKey, manifestFile, fs.statSync(manifestFile).size, !replaceDamaged);
  }
}
