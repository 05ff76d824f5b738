/**
 * When albench may replace an existing output folder: only one that holds its own files and
 * nothing else, so `-o` pointed at a project folder (even one where an albench.json was copied)
 * never deletes anyone's work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IoError, UsageError } from '../errors.js';

/** The entries of an existing folder that forbid replacing it; none means it is albench's to replace. */
export type ForeignEntries = (dir: string) => readonly string[];

/**
 * A folder is ours when it holds `marker` and every entry in it (folders walked, paths relative
 * and `/`-separated) is one `owns` accepts. Without the marker, every entry is foreign.
 */
export function ownedFolder(marker: string, owns: (entry: string) => boolean): ForeignEntries {
  return (dir) => {
    const all = entriesOf(dir, '');
    if (!all.some((e) => e.name === marker && e.file)) return all.map((e) => e.name);
    return all.filter((e) => !owns(e.name)).map((e) => e.name);
  };
}

/** Every entry under `dir`; a folder albench owns is walked, one it does not own is listed as one entry. */
function entriesOf(dir: string, prefix: string): Array<{ name: string; file: boolean }> {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const name = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) return [{ name: `${name}/`, file: false }, ...entriesOf(dir, name)];
    return [{ name, file: e.isFile() }];
  });
}

/** A cache entry's folder is albench's alone: it is replaced whatever it holds. */
export const anyContent: ForeignEntries = () => [];

const SHOWN = 5;

/**
 * Refuses an output folder albench must not replace: a symbolic link (albench would replace the
 * link, leaving its target as it was), the current folder or one above it, something that is not a
 * folder, or a folder holding files albench did not write.
 */
export function checkReplaceable(target: string, foreign: ForeignEntries): void {
  const resolved = path.resolve(target);
  const cwd = process.cwd();
  if (cwd === resolved || cwd.startsWith(resolved.endsWith(path.sep) ? resolved : resolved + path.sep)) {
    const what = cwd === resolved ? 'is the current folder' : 'is the current folder or holds it';
    throw new UsageError(`the output ${target} ${what}; it would be replaced whole. Give a new folder, e.g. -o ./out`);
  }
  const stat = fs.lstatSync(target, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (stat.isSymbolicLink()) {
    throw new IoError(`${target} is a symbolic link (to ${fs.readlinkSync(target)}); `
      + 'albench does not write through links: give the folder itself, or another path');
  }
  if (!stat.isDirectory()) throw new IoError(`${target} already exists and is not a folder; choose another output folder`);
  const strangers = foreign(target);
  if (fs.readdirSync(target).length > 0 && strangers.length > 0) {
    const more = strangers.length > SHOWN ? ` and ${strangers.length - SHOWN} more` : '';
    throw new IoError(`${target} already exists and holds files albench did not write (${strangers.slice(0, SHOWN).join(', ')}${more}); `
      + 'nothing was changed: choose another output folder, or move those files away');
  }
}
