import crypto from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubError, IoError, type HubProblem } from '../errors.js';
import { formatHubId } from './hub-id.js';
import { hubGet, networkReason, statusError, type RequestContext } from './http.js';
import type { RepoFile } from './revision-info.js';

interface BlobDownload {
  readonly ctx: RequestContext;
  readonly url: string;
  readonly file: RepoFile;
  /** The blob's final path; bytes arrive in `<dest>.incomplete` first, as huggingface_hub names it. */
  readonly dest: string;
  readonly onProgress?: (received: number, total: number) => void;
}

/** Attempts per file; each one continues from the bytes already on disk. */
const MAX_ATTEMPTS = 3;
/** Grows with each attempt, giving a dropped connection or a busy server a moment to recover. */
const RETRY_DELAY_MS = 500;
const RETRYABLE: ReadonlySet<HubProblem> = new Set(['unreachable', 'server', 'interrupted']);
const CONTENT_RANGE = /^bytes (\d+)-\d+\/(?:\d+|\*)$/;
const RANGE_NOT_SATISFIABLE = 416;

/**
 * Downloads one blob, resuming a partial `.incomplete` file with a Range request, and moves it into
 * place only once its size and hash match the hub's listing. Bytes that do not match are deleted,
 * never cached: the file would otherwise be trusted by every later run and by other tools.
 */
export async function downloadBlob(d: BlobDownload): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptDownload(d);
    } catch (e) {
      if (!(e instanceof HubError) || !RETRYABLE.has(e.problem) || attempt >= MAX_ATTEMPTS) throw e;
      await sleep(RETRY_DELAY_MS * attempt);
    }
  }
}

async function attemptDownload(d: BlobDownload): Promise<void> {
  const partial = `${d.dest}.incomplete`;
  let have = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
  if (have > d.file.size) {
    fs.rmSync(partial);
    have = 0;
  }
  const hash = blobHasher(d.file);
  if (have === d.file.size && fs.existsSync(partial)) {
    await hashFile(partial, hash); // complete on disk already: an earlier run stopped before checking it
  } else {
    const res = await hubGet(d.ctx, d.url, have > 0 ? { headers: { Range: `bytes=${have}-` } } : {});
    const start = await resumeOffset(d, res, have, partial);
    if (start > 0) await hashFile(partial, hash);
    await receive(d, res, partial, start, hash);
  }
  const actual = hash.digest('hex');
  if (actual !== d.file.oid) {
    fs.rmSync(partial, { force: true });
    const kind = d.file.digest === 'sha256' ? 'LFS sha256' : 'git blob sha1';
    throw new HubError(formatHubId(d.ctx.id), 'corrupt',
      `${d.file.name} as downloaded does not match its ${kind} in the hub's listing (expected ${d.file.oid}, got ${actual}); `
      + `the download was deleted, not cached; run again, and if it repeats, the server at ${d.ctx.settings.endpoint} is sending wrong data`);
  }
  fs.renameSync(partial, d.dest);
}

/**
 * Where the body of `res` starts: at `requested` when the server honoured the Range header, at 0
 * when it sent the whole file instead (allowed by HTTP). Anything else is an error.
 */
async function resumeOffset(d: BlobDownload, res: Response, requested: number, partial: string): Promise<number> {
  if (res.status === 200) return 0;
  const range = CONTENT_RANGE.exec(res.headers.get('Content-Range') ?? '');
  if (res.status === 206 && range !== null && Number(range[1]) === requested) return requested;
  await res.body?.cancel();
  if (!res.ok && !(requested > 0 && res.status === RANGE_NOT_SATISFIABLE)) throw statusError(d.ctx, res);
  fs.rmSync(partial, { force: true }); // the server will not continue where we stopped: the next attempt starts over
  throw new HubError(formatHubId(d.ctx.id), 'server',
    `${d.ctx.settings.endpoint} answered a resume of ${d.file.name} at byte ${requested} with ${res.status} ${res.headers.get('Content-Range') ?? ''}`);
}

/** Writes the response body to `partial` from byte `start`, feeding the hash as it goes. */
async function receive(d: BlobDownload, res: Response, partial: string, start: number, hash: crypto.Hash): Promise<void> {
  const model = formatHubId(d.ctx.id);
  const total = d.file.size;
  let received = start;
  let overran = false;
  const out = await fs.promises.open(partial, start > 0 ? 'a' : 'w');
  try {
    if (res.body === null) throw new Error('the response has no body');
    for await (const chunk of res.body) {
      if (received + chunk.length > total) {
        overran = true;
        break;
      }
      await write(out, chunk, partial);
      hash.update(chunk);
      received += chunk.length;
      d.onProgress?.(received, total);
    }
  } catch (e) {
    if (e instanceof IoError) throw e;
    throw interrupted(model, d.file, received, networkReason(e));
  } finally {
    await out.close();
  }
  if (overran) {
    fs.rmSync(partial, { force: true });
    throw new HubError(model, 'corrupt',
      `${d.file.name}: the server sent more than the ${total} bytes the hub's listing gives; the download was deleted; run again`);
  }
  if (received < total) throw interrupted(model, d.file, received, 'the server closed the connection early');
}

/** A local write failure (disk full, permissions) is not the network's fault and is not retried. */
async function write(out: fs.promises.FileHandle, chunk: Uint8Array, file: string): Promise<void> {
  try {
    await out.write(chunk);
  } catch (e) {
    throw new IoError(`${file}: cannot write the download (${(e as NodeJS.ErrnoException).code ?? String(e)}); `
      + 'free disk space, or set HF_HUB_CACHE to a folder on another disk');
  }
}

function interrupted(model: string, file: RepoFile, received: number, why: string): HubError {
  return new HubError(model, 'interrupted', `the download of ${file.name} stopped after ${received} of ${file.size} bytes (${why}); run again to resume it`);
}

/** A running hash in the hub's terms: sha256 for LFS files, git's blob sha1 ("blob <size>\0" + bytes) otherwise. */
export function blobHasher(file: Pick<RepoFile, 'digest' | 'size'>): crypto.Hash {
  return file.digest === 'sha256' ? crypto.createHash('sha256') : crypto.createHash('sha1').update(`blob ${file.size}\0`);
}

export async function hashFile(file: string, hash: crypto.Hash): Promise<void> {
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
}
