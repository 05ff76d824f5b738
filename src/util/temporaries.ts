/**
 * The names albench gives its temporary outputs, `.<name>.tmp-<pid>-<ms since 1970>` beside the
 * `<name>` they become, and the sweep that removes the ones a killed process (kill -9, a crash, a
 * power cut) left behind. The pid in the name says whose a temporary is, so a live process's
 * temporaries are never touched, and nothing that does not match the pattern exactly ever is.
 */
import fs from 'node:fs';
import path from 'node:path';

const TEMP_NAME = /^\.(.+)\.tmp-(\d{1,10})-(\d{1,16})$/;
/** A temporary whose process is gone is swept only once this old: clocks differ a little, and a name seen mid-rename must settle. */
export const STALE_AFTER_MS = 5000;

export function tempNameFor(name: string): string {
  return `.${name}.tmp-${process.pid}-${Date.now()}`;
}

interface TempName { readonly name: string; readonly pid: number; readonly createdMs: number }

export function parseTempName(fileName: string): TempName | null {
  const m = TEMP_NAME.exec(fileName);
  if (m === null) return null;
  return { name: m[1] as string, pid: Number(m[2]), createdMs: Number(m[3]) };
}

/** `p` with every temporary component replaced by the name it stands for, so messages name the user's file. */
export function withoutTempNames(p: string): string {
  return p.split(path.sep).map((part) => parseTempName(part)?.name ?? part).join(path.sep);
}

/** A process that exists (EPERM: it does, but is another user's) is alive; only ESRCH says it is gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temporaries in `dir` whose process no longer exists and that are older than
 * STALE_AFTER_MS. Best effort: an unreadable folder, or an entry another sweeper removed first,
 * is left alone. (A process in another pid namespace writing into a shared folder looks dead; the
 * age guard is all that protects it.)
 */
export function sweepStaleTemporaries(dir: string, now = Date.now()): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const fileName of names) {
    const temp = parseTempName(fileName);
    if (temp === null || temp.pid === process.pid || isAlive(temp.pid)) continue;
    const file = path.join(dir, fileName);
    try {
      const touchedMs = Math.max(temp.createdMs, fs.lstatSync(file).mtimeMs);
      if (now - touchedMs >= STALE_AFTER_MS) fs.rmSync(file, { recursive: true, force: true });
    } catch {
      continue;
    }
  }
}

const swept = new Set<string>();

/** sweepStaleTemporaries, at most once per folder per process: called before albench writes into a folder. */
export function sweepStaleTemporariesOnce(dir: string): void {
  const key = path.resolve(dir);
  if (swept.has(key)) return;
  swept.add(key);
  sweepStaleTemporaries(key);
}
