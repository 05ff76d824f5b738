/**
 * Output appears complete or not at all: everything is written under a temporary name beside the
 * target and renamed into place. Temporary paths are registered so an interrupt (Ctrl-C, SIGTERM)
 * can remove them before the process exits; those a killed process left are swept before albench
 * next writes into their folder. A system error while writing becomes an IoError naming the target (asIoError).
 */
import fs from 'node:fs';
import path from 'node:path';
import { asIoError } from './io-errors.js';
import { sweepStaleTemporariesOnce, tempNameFor } from './temporaries.js';
import { checkReplaceable, type ForeignEntries } from './owned-folder.js';
import { runSteps, type Steps } from './steps.js';

/** Temporary paths made and not yet renamed into place or removed. */
const pending = new Set<string>();

/** Removes every temporary output still pending; the interrupt and error handlers call it before exiting. */
export function removePendingOutputs(): void {
  for (const p of pending) fs.rmSync(p, { recursive: true, force: true });
  pending.clear();
}

/** A fresh temporary path beside `target`, registered as pending; the caller renames or removes it. */
export function tempPathFor(target: string): string {
  sweepStaleTemporariesOnce(path.dirname(target));
  const tmp = path.join(path.dirname(target), tempNameFor(path.basename(target)));
  pending.add(tmp);
  return tmp;
}

/** Makes `target` with `make(tmp)` under a temporary name beside it, then renames it into place. */
export function replaceAtomic(target: string, make: (tmp: string) => void): void {
  runSteps(replaceAtomicSteps(target, function* (tmp) {
    make(tmp);
  }));
}

/** replaceAtomic for work written as steps (see steps.ts): the temporary stays registered while it pauses. */
export function* replaceAtomicSteps<T>(target: string, make: (tmp: string) => Steps<T>): Steps<T> {
  const tmp = tempPathFor(target);
  try {
    const result = yield* make(tmp);
    fs.renameSync(tmp, target);
    return result;
  } catch (e) {
    throw asIoError(e, target);
  } finally {
    fs.rmSync(tmp, { force: true });
    pending.delete(tmp);
  }
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  replaceAtomic(target, (tmp) => fs.writeFileSync(tmp, data));
}

/**
 * Runs `use` with a fresh empty temporary folder beside `target`, registered so an interrupt removes
 * it; whatever `use` leaves of it (a folder not renamed into place) is removed afterwards.
 */
export async function withTempDir<T>(target: string, use: (tmp: string) => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    fs.mkdirSync(tmp);
    return await use(tmp);
  } catch (e) {
    throw asIoError(e, target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    pending.delete(tmp);
  }
}

/**
 * Renames the finished folder `dir` to `target` unless a folder with contents stands there: the OS
 * refuses to rename onto a folder that is not empty, so of several writers the first wins and what
 * stands is never moved, not even for an instant. true when `dir` became `target`; false when another
 * writer's folder stands there (`dir` is left as it was, for its owner to remove).
 */
export function renameUnlessTaken(dir: string, target: string): boolean {
  try {
    fs.renameSync(dir, target);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw asIoError(e, target);
  }
}

/**
 * For a user's output folder, never for a folder another process may be reading (a cache entry:
 * renameUnlessTaken): fills a fresh temporary folder with `fill`, then swaps it in for `target`. An existing target
 * is replaced only when `foreign` finds nothing in it albench did not write (see checkReplaceable),
 * and stays intact if anything fails.
 */
export async function writeDirAtomic<T>(target: string, foreign: ForeignEntries, fill: (dir: string) => Promise<T>): Promise<T> {
  checkReplaceable(target, foreign);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    fs.mkdirSync(tmp);
    const result = await fill(tmp);
    const old = fs.existsSync(target) ? tempPathFor(`${target}.old`) : null;
    if (old !== null) fs.renameSync(target, old);
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      if (old !== null) fs.renameSync(old, target);
      throw e;
    }
    if (old !== null) {
      fs.rmSync(old, { recursive: true, force: true });
      pending.delete(old);
    }
    return result;
  } catch (e) {
    throw asIoError(e, target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    pending.delete(tmp);
  }
}
