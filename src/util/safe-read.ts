/**
 * Reading files a user (or an attacker) handed over: a model folder whose side files are links to
 * elsewhere, /dev/zero, a FIFO. Every file read from a folder must resolve inside it and be a
 * regular file of bounded size, checked on the opened descriptor so a swap between check and read
 * cannot slip past.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AlbenchError, CheckpointError } from '../errors.js';

/** Makes the typed error a caller's users expect (CheckpointError for weights, ConfigError for tokenizer files...). */
export type Refuse = (file: string, problem: string) => AlbenchError;

interface SafeReadOptions {
  /** Refuse a file larger than this many bytes. */
  readonly maxBytes: number;
  readonly refuse?: Refuse;
  /** What the limit is for, in the message: "TSV files". */
  readonly kind?: string;
  /** The path messages name when it differs from the one opened (a link's own path, not its target). */
  readonly shownAs?: string;
}

const defaultRefuse: Refuse = (file, problem) => new CheckpointError(file, problem);

/** What a non-regular file is, in words, for the refusal. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The MB count in a message: side-file limits are whole megabytes. */
const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;

/**
 * The bytes of `file`, which must be a regular file of at most `maxBytes`. Opened without blocking
 * (a FIFO would otherwise wait for a writer forever) and checked with fstat on the descriptor.
 */
export function readRegularFile(file: string, opts: SafeReadOptions): Buffer {
  const shown = opts.shownAs ?? file;
  const refuse = (problem: string): AlbenchError => (opts.refuse ?? defaultRefuse)(shown, problem);
  const notRegular = (stat: fs.Stats): AlbenchError => refuse(`cannot read: it is ${kindOf(stat)}, not a regular file; albench reads regular files only`);
  let fd: number;
  try {
    // Checked before opening too: opening a device can itself have effects.
    const before = fs.statSync(file);
    if (!before.isFile()) throw notRegular(before);
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof AlbenchError) throw e;
    throw refuse(`cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw notRegular(stat);
    if (stat.size > opts.maxBytes) throw refuse(`is ${stat.size} bytes; albench reads ${opts.kind ?? 'files of this kind'} up to ${mb(opts.maxBytes)}`);
    const bytes = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = fs.readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The folders a file of `folder` may resolve into: the folder itself, and for a snapshot of the
 * Hugging Face cache (models--org--name/snapshots/<commit>, whose files are links to
 * ../../blobs/<hash>) that repo's blobs folder.
 */
function allowedRoots(realFolder: string): string[] {
  const snapshots = path.dirname(realFolder);
  const repo = path.dirname(snapshots);
  const isSnapshot = path.basename(snapshots) === 'snapshots' && path.basename(repo).startsWith('models--');
  return isSnapshot ? [realFolder, path.join(repo, 'blobs')] : [realFolder];
}

const isWithin = (root: string, p: string): boolean => p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * The real path of `name` in `folder`, or null when there is no such file. Throws when it is a link
 * that leaves the folder (or a dangling one), or is not a regular file: a FIFO, a device, a folder.
 */
export function resolveInside(folder: string, name: string, refuse: Refuse = defaultRefuse): string | null {
  const file = path.join(folder, name);
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refuse(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    throw refuse(file, `is a link to ${fs.readlinkSync(file)}, which does not exist`);
  }
  const roots = allowedRoots(fs.realpathSync(folder));
  if (!roots.some((root) => isWithin(root, real))) {
    const where = link.isSymbolicLink() ? `a link to ${fs.readlinkSync(file)}` : 'reached through a linked folder';
    throw refuse(file, `is ${where}, which resolves to ${real}, outside ${folder}; albench reads only files inside the model folder`);
  }
  const stat = fs.statSync(real);
  if (!stat.isFile()) {
    const via = link.isSymbolicLink() ? ` (a link to ${fs.readlinkSync(file)})` : '';
    throw refuse(file, `cannot read: it is ${kindOf(stat)}${via}, not a regular file; albench reads regular files only`);
  }
  return real;
}

/** The bytes of `name` in `folder`, or null when it is absent; refused as resolveInside and readRegularFile refuse. */
export function readFileInside(folder: string, name: string, opts: SafeReadOptions): Buffer | null {
  const real = resolveInside(folder, name, opts.refuse);
  return real === null ? null : readRegularFile(real, { ...opts, shownAs: path.join(folder, name) });
}

/** The names among `names` that `folder` has, each checked as resolveInside checks it. */
export function presentFilesInside(folder: string, names: readonly string[], refuse: Refuse = defaultRefuse): string[] {
  return names.filter((name) => resolveInside(folder, name, refuse) !== null);
}
