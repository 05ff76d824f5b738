/**
 * Node's system errors (a full disk, a file-size limit, a missing folder, ...) as IoErrors a user
 * can act on: one line naming their file, never albench's temporary name for it, and what to do;
 * the original error stays as `cause` for --debug. Node ignores SIGXFSZ, so a file-size limit
 * (ulimit -f) arrives here as EFBIG from write instead of killing the process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IoError } from '../errors.js';
import { withoutTempNames } from './temporaries.js';

interface SystemError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly path?: string;
  readonly dest?: string;
}

/** Node's system errors carry an errno name (ENOSPC) and the call that failed; ERR_* codes are Node's own checks. */
function isSystemError(e: unknown): e is SystemError {
  if (!(e instanceof Error)) return false;
  const { code, syscall } = e as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string';
}

const CAUSES: Readonly<Record<string, string>> = {
  EFBIG: 'the file would be larger than the file-size limit allows (ulimit -f); raise the limit or write elsewhere',
  ENOSPC: 'no space left on the device; free some space or write elsewhere',
  EDQUOT: 'the disk quota is used up; free some space or write elsewhere',
  EACCES: 'permission denied; check its permissions or choose another path',
  EPERM: 'operation not permitted; check its permissions or choose another path',
  EROFS: 'the file system is read-only; write elsewhere',
  EISDIR: 'is a folder, where a file was expected; give a file path',
  ENOTDIR: 'a part of the path is a file, where a folder was expected',
  EEXIST: 'already exists; remove it or choose another path',
  ENOTEMPTY: 'is a folder that is not empty; remove it or choose another path',
  EBUSY: 'is busy (in use, the current folder, or a mount point); choose another path',
  EMFILE: 'too many open files in this process; raise the limit (ulimit -n)',
  ENFILE: 'too many open files on this system; close some programs or raise the limit',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error from the device; check the disk',
};

/** Calls that act on an open file: their errors carry no path, so the writer's target names it. */
const FILE_DESCRIPTOR_CALLS = new Set(['write', 'writev', 'close', 'fsync', 'fdatasync', 'ftruncate']);

function causeOf(e: SystemError, file: string | null): string {
  if (e.code === 'ENOENT') {
    const parent = file === null ? null : path.dirname(file);
    return parent !== null && !fs.existsSync(parent) ? `the folder ${parent} does not exist; create it first` : 'no such file or folder';
  }
  return CAUSES[e.code] ?? `${e.syscall} failed (${e.code})`;
}

/** The user's path the error is about: for a rename, the side that is not a temporary of ours. */
function pathOf(e: SystemError, target: string | undefined): string | null {
  const candidates = e.syscall === 'rename' ? [e.dest, e.path] : [e.path, e.dest];
  const named = candidates.filter((p): p is string => p !== undefined);
  const chosen = named.find((p) => withoutTempNames(p) === p) ?? named[0];
  if (chosen !== undefined) return withoutTempNames(chosen);
  return target !== undefined && FILE_DESCRIPTOR_CALLS.has(e.syscall) ? withoutTempNames(target) : null;
}

/**
 * An IoError for a system error, naming the path it is about (or `target`, for a write to an
 * open file); anything else is returned as it is.
 */
export function asIoError(e: unknown, target?: string): unknown {
  if (!isSystemError(e)) return e;
  const file = pathOf(e, target);
  return new IoError(`${file ?? `cannot ${e.syscall}`}: ${causeOf(e, file)}`, e);
}

/**
 * Refuses, before any work, a file path the final write would refuse after it: a folder, or (for
 * writers that do not make their folder) a path whose folder does not exist.
 */
export function checkOutputFile(file: string, writerMakesFolder: boolean): void {
  const parent = path.dirname(file);
  if (!writerMakesFolder && !fs.existsSync(parent)) throw new IoError(`${file}: the folder ${parent} does not exist; create it first`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new IoError(`${file}: ${CAUSES['EISDIR']}`);
}
