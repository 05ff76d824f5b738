import fs from 'node:fs';
import path from 'node:path';
import { getRepoFolderName } from '@huggingface/hub';
import { replaceAtomic, writeFileAtomic } from '../util/atomic.js';
import { isCommitHash } from './hub-id.js';

/** Blob names are the hub's etags: a git blob sha1 (40 hex) or an LFS sha256 (64 hex). */
const BLOB_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * One model repo in the standard Hugging Face cache, laid out as huggingface_hub lays it out so
 * either tool reuses the other's downloads:
 *
 *   models--org--name/blobs/<etag>                  file contents, one per distinct file
 *   models--org--name/snapshots/<commit>/<file>     relative symlink to ../../blobs/<etag>
 *   models--org--name/refs/<revision>               the commit hash a branch or tag pointed to
 */
export class RepoCache {
  readonly root: string;

  constructor(cacheDir: string, repo: string) {
    this.root = path.join(cacheDir, getRepoFolderName({ name: repo, type: 'model' }));
  }

  snapshotDir(commit: string): string {
    return path.join(this.root, 'snapshots', commit);
  }

  blobPath(blobName: string): string {
    // The name comes from the server; refuse anything that is not a plain hash before it becomes a path.
    if (!BLOB_NAME.test(blobName)) throw new Error(`not a blob hash: ${JSON.stringify(blobName)}`);
    return path.join(this.root, 'blobs', blobName);
  }

  /** The commit a revision resolved to when it was last downloaded, if that was recorded. */
  readRef(revision: string): string | undefined {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.root, 'refs', revision), 'utf8').trim();
    } catch {
      return undefined;
    }
    return isCommitHash(text) ? text : undefined;
  }

  writeRef(revision: string, commit: string): void {
    const file = path.join(this.root, 'refs', revision);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, commit);
  }

  /** True when the snapshot has the file and (for a link) the blob behind it still exists. */
  hasFile(commit: string, file: string): boolean {
    return fs.existsSync(path.join(this.snapshotDir(commit), file));
  }

  hasBlob(blobName: string): boolean {
    return fs.existsSync(this.blobPath(blobName));
  }

  /**
   * Puts `file` into the snapshot as a relative link to its blob (relative so the cache can be moved).
   * Where links cannot be made (some Windows set-ups, some network file systems) the blob is copied.
   */
  linkFile(commit: string, file: string, blobName: string): void {
    const target = path.join(this.snapshotDir(commit), file);
    const blob = this.blobPath(blobName);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    replaceAtomic(target, (tmp) => {
      try {
        fs.symlinkSync(path.relative(path.dirname(target), blob), tmp);
      } catch {
        fs.copyFileSync(blob, tmp);
      }
    });
  }
}
