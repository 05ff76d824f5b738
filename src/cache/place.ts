import { IoError } from '../errors.js';
import { renameUnlessTaken } from '../util/atomic.js';
import { isDamage, type VerifiedEntry } from './entry.js';
import { entryDir } from './layout.js';
import { setAside } from './trash.js';
import { verifyEntry } from './verify.js';

/** What placing a finished entry folder came to: it became the entry, or a valid one stood there already. */
export type Placed = { readonly placed: true } | { readonly placed: false; readonly standing: VerifiedEntry };

/** Rounds of "taken, but what stands is damaged or leaving" before giving up on a key that keeps changing. */
const TRIES = 5;

/**
 * Puts the finished folder `tmp` at `<root>/<step>/<key>` unless a valid entry stands there: first
 * writer wins, by one rename the OS refuses onto a folder that is not empty, so an entry in place is
 * never moved or changed. A damaged entry found there is set aside (trash.ts) and the rename tried
 * again. The loser's `tmp` is left for its owner to remove.
 */
export function placeEntry(root: string, step: string, key: string, tmp: string): Placed {
  const dir = entryDir(root, step, key);
  for (let i = 0; i < TRIES; i++) {
    if (renameUnlessTaken(tmp, dir)) return { placed: true };
    const standing = verifyEntry(dir);
    if (standing === null) continue;
    if (!isDamage(standing)) return { placed: false, standing };
    setAside(root, step, key, dir, standing.ino);
  }
  throw new IoError(`${dir}: other processes kept replacing this cache entry while it was being stored; run again, or give this run its own --cache folder`);
}
