/**
 * Checks a cached file against what the hub says it is, so a truncated or damaged blob (a killed
 * download from another tool, a full disk, a bit flip) is fetched again instead of being read as
 * a broken checkpoint. Without the hub's listing (offline), the blob's own name is its hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RepoCache } from './cache-layout.js';
import { blobHasher, hashFile } from './download-blob.js';
import type { RepoFile } from './revision-info.js';

const SHA256 = /^[0-9a-f]{64}$/;
const SHA1 = /^[0-9a-f]{40}$/;

/** Blobs already hashed in this process, by path, size and modification time: a compare resolves each model once per phase. */
const verified = new Set<string>();

/** The hub's size and hash for `blob`, from its listing when there is one, else from the blob's name. */
function expected(blob: string, actualSize: number, listed: RepoFile | undefined): Pick<RepoFile, 'oid' | 'size' | 'digest'> | undefined {
  if (listed !== undefined) return listed;
  const name = path.basename(blob);
  if (SHA256.test(name)) return { oid: name, size: actualSize, digest: 'sha256' };
  if (SHA1.test(name)) return { oid: name, size: actualSize, digest: 'git-sha1' };
  return undefined;
}

/**
 * What is wrong with the bytes at `blob` (a sentence to follow "the cached copy"), or null when
 * they are the file the hub lists (or, offline, the file the blob's name is the hash of).
 */
export async function blobProblem(blob: string, listed?: RepoFile): Promise<string | null> {
  const stat = fs.statSync(blob, { throwIfNoEntry: false });
  if (stat === undefined) return 'is missing';
  if (!stat.isFile()) return 'is not a regular file';
  const want = expected(blob, stat.size, listed);
  if (want === undefined) return null;
  if (stat.size !== want.size) return `is ${stat.size} bytes where the hub lists ${want.size}`;
  const key = `${blob}\0${stat.size}\0${stat.mtimeMs}\0${want.oid}`;
  if (verified.has(key)) return null;
  const hash = blobHasher(want);
  await hashFile(blob, hash);
  const actual = hash.digest('hex');
  if (actual !== want.oid) return `does not match its ${want.digest === 'sha256' ? 'LFS sha256' : 'git blob sha1'} (expected ${want.oid}, got ${actual})`;
  verified.add(key);
  return null;
}

/**
 * What is wrong with `name` as the snapshot holds it: a link must lead to a blob of this repo
 * that holds the right bytes; a copied file (where links cannot be made) is checked against the
 * listing, when there is one.
 */
export async function cachedFileProblem(cache: RepoCache, commit: string, name: string, listed?: RepoFile): Promise<string | null> {
  const file = path.join(cache.snapshotDir(commit), name);
  const link = fs.lstatSync(file, { throwIfNoEntry: false });
  if (link === undefined) return 'is missing';
  if (!link.isSymbolicLink()) return listed === undefined ? null : blobProblem(file, listed);
  const target = fs.readlinkSync(file);
  const blobName = path.basename(target);
  const isBlob = (SHA1.test(blobName) || SHA256.test(blobName)) && path.resolve(path.dirname(file), target) === cache.blobPath(blobName);
  if (!isBlob) return `is a link to ${target}, not to a blob of this repo`;
  const blob = cache.blobPath(blobName);
  if (listed !== undefined && listed.oid !== blobName) return `links to blob ${blobName}, where the hub lists ${listed.oid}`;
  return blobProblem(blob, listed);
}
