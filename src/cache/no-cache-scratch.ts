import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from '../util/temporaries.js';
import { noCacheDir } from './layout.js';

/**
 * `--no-cache` recomputes every step for its run. Where its result cannot become the entry (a valid
 * entry stands at the key), the run still uses its own: the finished folder is moved here,
 * `<root>/.no-cache/<pid>-<ms>/<step>/<key>/`, outside the entries, and removed when the process
 * exits. Folders of processes that are gone are removed by the next run that makes one.
 */
const madeHere = new Set<string>();

function removeOnExit(folder: string): void {
  if (madeHere.size === 0) process.once('exit', () => madeHere.forEach((f) => fs.rmSync(f, { recursive: true, force: true })));
  madeHere.add(folder);
}

export class NoCacheScratch {
  private made: string | undefined;

  constructor(private readonly root: string) {}

  /** Moves the finished folder `tmp` here and returns where it now is. */
  keep(tmp: string, step: string, key: string): string {
    const target = path.join(this.folder(), step, key);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(tmp, target);
    return target;
  }

  private folder(): string {
    if (this.made !== undefined) return this.made;
    const base = noCacheDir(this.root);
    sweepGone(base);
    const made = path.join(base, `${process.pid}-${Date.now()}`);
    fs.mkdirSync(made, { recursive: true });
    removeOnExit(made);
    this.made = made;
    return made;
  }
}

function sweepGone(base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-\d+$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
}
