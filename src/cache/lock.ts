import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { breakStaleLock, isStale, lookAtLock, newLockRecord, removeLock, tryCreateLock } from './lock-file.js';
import type { RefresherMessage } from './lock-refresher.js';

/** How often a waiter looks at the lock again (plus up to as much at random, so waiters do not move in step). */
const POLL_MS = 100;

export interface HeldLock {
  release(): void;
}

let refresher: Worker | undefined;

/** Locks this process holds, by file: an interrupted run (Ctrl-C ends in process.exit) leaves none behind. */
const held = new Map<string, string>();
let releasesOnExit = false;

function releaseAllOnExit(): void {
  if (!releasesOnExit) process.once('exit', () => held.forEach((token, file) => removeLock(file, token)));
  releasesOnExit = true;
}

function tellRefresher(message: RefresherMessage): void {
  if (refresher === undefined) {
    refresher = new Worker(new URL('./lock-refresher.js', import.meta.url));
    // The refresher never keeps a finished process alive; one that cannot run leaves locks to go stale, costing work, not results.
    refresher.unref();
    refresher.on('error', () => undefined);
  }
  refresher.postMessage(message);
}

/** Locks save work, never correctness: where one cannot be made at all (a read-only disk), the work goes on without. */
const NO_LOCK: HeldLock = { release: () => undefined };

/**
 * Takes the lock file `file` (lock-file.ts), waiting while a live holder has it and breaking it when
 * stale. `onWait` is called (and awaited) once if it has to wait.
 */
export async function acquireLock(file: string, onWait: () => Promise<void> | void): Promise<HeldLock> {
  const record = newLockRecord();
  let waited = false;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (;;) {
      if (tryCreateLock(file, record)) break;
      const seen = lookAtLock(file);
      if (seen === null) continue;
      if (isStale(seen, Date.now())) {
        breakStaleLock(file, seen.text);
        continue;
      }
      if (!waited) await onWait();
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS * (1 + Math.random())));
    }
  } catch {
    return NO_LOCK;
  }
  tellRefresher({ file, token: record.token });
  releaseAllOnExit();
  held.set(file, record.token);
  return {
    release() {
      tellRefresher({ file, token: null });
      held.delete(file);
      removeLock(file, record.token);
    },
  };
}
