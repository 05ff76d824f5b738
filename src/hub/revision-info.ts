import { HubError } from '../errors.js';
import { formatHubId, isCommitHash, type HubModelId } from './hub-id.js';
import { hubGet, networkReason, statusError } from './http.js';
import type { HubSettings } from './settings.js';

/** A file of a revision with what is needed to name its blob and check a download of it. */
export interface RepoFile {
  readonly name: string;
  readonly size: number;
  /** The hub's etag, which is also the blob's name in the cache: the LFS sha256, or git's blob sha1. */
  readonly oid: string;
  readonly digest: 'sha256' | 'git-sha1';
}

export interface RevisionInfo {
  /** The commit the revision points to now; files are downloaded from it, not from the branch name. */
  readonly commit: string;
  /** Every file name in the revision. */
  readonly names: ReadonlySet<string>;
  /** The files whose listing carried a size and hash (all of them, from the hub itself). */
  readonly files: ReadonlyMap<string, RepoFile>;
}

/** Long enough for a slow link, short enough that an unreachable hub falls back to the cache promptly. */
const METADATA_TIMEOUT_MS = 10_000;
const SHA1 = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The model-info endpoint with `blobs=true` (as huggingface_hub's `model_info(files_metadata=True)`):
 * one request gives the commit, the file list, and each file's size, git oid and LFS sha256.
 */
export async function fetchRevisionInfo(id: HubModelId, settings: HubSettings): Promise<RevisionInfo> {
  const ctx = { id, settings };
  const url = `${settings.endpoint}/api/models/${id.repo}/revision/${encodeURIComponent(id.revision)}?blobs=true`;
  const res = await hubGet(ctx, url, { signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
  if (!res.ok) throw statusError(ctx, res);
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    if (e instanceof SyntaxError) throw badResponse(id, settings, 'is not JSON');
    throw new HubError(formatHubId(id), 'unreachable', `cannot reach ${settings.endpoint} (${networkReason(e)})`);
  }
  return parseRevisionInfo(id, settings, body);
}

interface Sibling { rfilename?: unknown; size?: unknown; blobId?: unknown; lfs?: { sha256?: unknown; size?: unknown } | null }

function parseRevisionInfo(id: HubModelId, settings: HubSettings, body: unknown): RevisionInfo {
  const { sha, siblings } = (typeof body === 'object' && body !== null ? body : {}) as { sha?: unknown; siblings?: unknown };
  if (typeof sha !== 'string' || !isCommitHash(sha)) throw badResponse(id, settings, 'has no commit hash ("sha")');
  if (!Array.isArray(siblings)) throw badResponse(id, settings, 'has no file list ("siblings")');
  const names = new Set<string>();
  const files = new Map<string, RepoFile>();
  for (const s of siblings as Sibling[]) {
    if (typeof s?.rfilename !== 'string') continue;
    names.add(s.rfilename);
    const file = integrityOf(s.rfilename, s);
    if (file !== undefined) files.set(file.name, file);
  }
  return { commit: sha, names, files };
}

function integrityOf(name: string, s: Sibling): RepoFile | undefined {
  if (s.lfs) {
    const { sha256, size } = s.lfs;
    return typeof sha256 === 'string' && SHA256.test(sha256) && isSize(size) ? { name, size, oid: sha256, digest: 'sha256' } : undefined;
  }
  return typeof s.blobId === 'string' && SHA1.test(s.blobId) && isSize(s.size) ? { name, size: s.size, oid: s.blobId, digest: 'git-sha1' } : undefined;
}

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function badResponse(id: HubModelId, settings: HubSettings, problem: string): HubError {
  return new HubError(formatHubId(id), 'bad-response', `the file listing from ${settings.endpoint} ${problem}; is HF_ENDPOINT a Hugging Face hub or mirror?`);
}
