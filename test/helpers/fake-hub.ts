import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for huggingface.co on 127.0.0.1, speaking the part of its API that downloads use:
 *   GET /api/models/<repo>/revision/<rev>?blobs=true   commit and file list with sizes, git oids, LFS sha256
 *   GET /<repo>/resolve/<rev>/<file>                  git files directly; LFS files by 302 to a CDN path
 *   GET /cdn/<sha256>                                 LFS content
 * with the hub's headers (X-Repo-Commit, ETag / X-Linked-Etag, X-Linked-Size, Range and 206) and
 * its error shapes (401/403/404 with X-Error-Code).
 */
export interface FakeFile {
  readonly content: Buffer;
  readonly lfs: boolean;
}

export interface FakeRepo {
  /** Commit hash to the files of that commit. */
  readonly commits: Readonly<Record<string, Readonly<Record<string, FakeFile>>>>;
  /** Branch or tag to commit hash. */
  readonly refs: Readonly<Record<string, string>>;
  /** Private: anything but this token gets 401. Gated: no token 401, another token 403. */
  readonly access?: { readonly kind: 'private' | 'gated'; readonly token: string };
}

export interface ServedRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly authorization: string | undefined;
}

export const gitBlobSha1 = (content: Buffer): string => crypto.createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
export const sha256 = (content: Buffer): string => crypto.createHash('sha256').update(content).digest('hex');
export const commitHash = (label: string): string => crypto.createHash('sha1').update(label).digest('hex');

export class FakeHub {
  readonly requests: ServedRequest[] = [];
  private readonly served: Array<ServedRequest & { file: string }> = [];
  /** File names whose content is served with its last byte changed. */
  readonly corrupt = new Set<string>();
  /** Answer Range requests with the whole file (200), as HTTP allows a server to. */
  ignoreRange = false;
  /** File name to a byte count: the next response for it is cut off after that many bytes. */
  readonly cutOnce = new Map<string, number>();
  /** Where LFS downloads are redirected: another server (a CDN on another origin), else this one. */
  lfsOrigin: string | undefined;
  readonly url: string;
  private readonly server: http.Server;
  private readonly repos: Readonly<Record<string, FakeRepo>>;

  private constructor(server: http.Server, repos: Readonly<Record<string, FakeRepo>>) {
    this.server = server;
    this.repos = repos;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(repos: Readonly<Record<string, FakeRepo>>): Promise<FakeHub> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hub = new FakeHub(server, repos);
    server.on('request', (req, res) => hub.handle(req, res));
    return hub;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The responses that carried a file's bytes (not redirects), with the Range each asked for. */
  bytesServed(file: string): ServedRequest[] {
    return this.served.filter((r) => r.file === file);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    const found = cdn === null ? undefined : this.findLfs(cdn[1] ?? '');
    this.requests.push({ path: url.pathname, range: req.headers.range, authorization: req.headers.authorization });
    if (found !== undefined) return this.sendBytes(req, res, found.name, found.file.content, {});

    const info = /^\/api\/models\/(.+?)\/revision\/([^/]+)$/.exec(url.pathname);
    const resolve = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const match = info ?? resolve;
    if (match === null) return fail(res, 404, 'RepoNotFound', 'Not Found');
    const repoId = match[1] ?? '';
    const repo = this.repos[repoId];
    if (repo === undefined) return fail(res, 404, 'RepoNotFound', 'Repository Not Found');
    const denied = checkAccess(repo, req.headers.authorization);
    if (denied !== undefined) return fail(res, denied, denied === 403 ? 'GatedRepo' : 'RepoNotFound', 'Access denied');
    const rev = decodeURIComponent(match[2] ?? '');
    const commit = repo.commits[rev] !== undefined ? rev : repo.refs[rev];
    const files = commit === undefined ? undefined : repo.commits[commit];
    if (commit === undefined || files === undefined) return fail(res, 404, 'RevisionNotFound', 'Invalid rev id');

    if (info !== null) {
      const blobs = url.searchParams.get('blobs') === 'true';
      const siblings = Object.entries(files).map(([name, f]) => (blobs ? { rfilename: name, ...blobMetadata(f) } : { rfilename: name }));
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ _id: 'fake', id: repoId, modelId: repoId, sha: commit, private: repo.access !== undefined, siblings }));
      return;
    }
    const name = decodeURIComponent(resolve?.[3] ?? '');
    const file = files[name];
    if (file === undefined) return fail(res, 404, 'EntryNotFound', `${name} does not exist on "${rev}"`);
    if (file.lfs) {
      res.writeHead(302, {
        Location: `${this.lfsOrigin ?? ''}/cdn/${sha256(file.content)}`,
        'X-Repo-Commit': commit,
        'X-Linked-Etag': `"${sha256(file.content)}"`,
        'X-Linked-Size': String(file.content.length),
        ETag: `"${gitBlobSha1(lfsPointer(file.content))}"`,
      });
      res.end();
      return;
    }
    this.sendBytes(req, res, name, file.content, { 'X-Repo-Commit': commit, ETag: `"${gitBlobSha1(file.content)}"` });
  }

  private findLfs(hash: string): { name: string; file: FakeFile } | undefined {
    for (const repo of Object.values(this.repos)) {
      for (const files of Object.values(repo.commits)) {
        for (const [name, file] of Object.entries(files)) if (file.lfs && sha256(file.content) === hash) return { name, file };
      }
    }
    return undefined;
  }

  private sendBytes(req: http.IncomingMessage, res: http.ServerResponse, name: string, original: Buffer, headers: Record<string, string>): void {
    this.served.push({ file: name, path: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization });
    const content = this.corrupt.has(name) ? flipLastByte(original) : original;
    const range = this.ignoreRange ? null : /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = content.length;
    if (range !== null) {
      start = Number(range[1]);
      end = range[2] ? Number(range[2]) + 1 : content.length;
      if (start >= content.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${content.length}` });
        res.end();
        return;
      }
      headers['Content-Range'] = `bytes ${start}-${end - 1}/${content.length}`;
    }
    res.writeHead(range === null ? 200 : 206, { ...headers, 'Accept-Ranges': 'bytes', 'Content-Length': String(end - start), 'Content-Type': 'application/octet-stream' });
    const body = content.subarray(start, end);
    const cut = this.cutOnce.get(name);
    if (cut === undefined) {
      res.end(body);
      return;
    }
    this.cutOnce.delete(name);
    // The cut comes a moment after the bytes went out, as a connection lost mid-file does: cut at once,
    // Node 24's fetch can drop what it had received but not yet handed over, and nothing is left to resume from.
    res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 200));
  }
}

function checkAccess(repo: FakeRepo, authorization: string | undefined): 401 | 403 | undefined {
  if (repo.access === undefined || authorization === `Bearer ${repo.access.token}`) return undefined;
  return repo.access.kind === 'gated' && authorization !== undefined ? 403 : 401;
}

function fail(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Error-Code': code, 'X-Error-Message': message });
  res.end(JSON.stringify({ error: message }));
}

function lfsPointer(content: Buffer): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(content)}\nsize ${content.length}\n`);
}

function blobMetadata(f: FakeFile): Record<string, unknown> {
  if (!f.lfs) return { size: f.content.length, blobId: gitBlobSha1(f.content) };
  const pointer = lfsPointer(f.content);
  return { size: f.content.length, blobId: gitBlobSha1(pointer), lfs: { sha256: sha256(f.content), size: f.content.length, pointerSize: pointer.length } };
}

function flipLastByte(content: Buffer): Buffer {
  const copy = Buffer.from(content);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
  return copy;
}
