/**
 * The thread lock.ts starts to keep this process's cache locks fresh: steps such as quantizing run
 * synchronously for minutes, and a timer on the main thread would not fire until they end, so
 * waiters would take a live holder for a frozen one. Messages add (`token`) or drop (`token: null`) a lock.
 */
import { parentPort } from 'node:worker_threads';
import { LOCK_REFRESH_MS, refreshLock } from './lock-file.js';

export interface RefresherMessage {
  readonly file: string;
  readonly token: string | null;
}

const held = new Map<string, string>();

parentPort?.on('message', (m: RefresherMessage) => {
  if (m.token === null) held.delete(m.file);
  else held.set(m.file, m.token);
});

setInterval(() => {
  for (const [file, token] of held) refreshLock(file, token);
}, LOCK_REFRESH_MS);
