import fs from 'node:fs';
import path from 'node:path';
import { BUNDLED_MODELS, type ResolvedModel } from '../hub/resolve-model.js';
import type { FailedVariant } from '../report/types.js';

/** A folder argument: an existing directory, or something only a path could be (`./x`, `/x`, `x/`). */
function isFolderArg(arg: string): boolean {
  if (Object.hasOwn(BUNDLED_MODELS, arg)) return false;
  if (fs.existsSync(arg)) return true;
  return /^[.~/]|[\\/]$/.test(arg) || path.isAbsolute(arg);
}

/** The last `depth` names of a folder's absolute path, joined by `/`. */
function tail(arg: string, depth: number): string {
  const parts = path.resolve(arg).split(/[\\/]+/).filter((p) => p !== '');
  return parts.slice(-depth).join('/');
}

/**
 * Short, stable labels for the models of one run, in order: a bundled name or a hub id (with its
 * @revision when pinned) as typed, a folder by its base name. Folders whose names collide (with
 * each other or with another label) take their parent folders' names in front until they differ
 * (`a/bert`, `b/bert`); the same folder given twice is told apart by `#2`. Reports get shared,
 * so a label never holds more of this machine's paths than that.
 */
export function modelLabels(args: readonly string[]): string[] {
  const folder = args.map(isFolderArg);
  const where = args.map((arg, i) => (folder[i] ? path.resolve(arg) : arg));
  const depth = args.map(() => 1);
  const label = (i: number) => (folder[i] ? tail(args[i] as string, depth[i] as number) : (args[i] as string));
  for (let round = 0; round < 64; round++) {
    const labels = args.map((_, i) => label(i));
    const clashing = args.flatMap((arg, i) => {
      const clash = labels.some((l, j) => l === labels[i] && where[j] !== where[i]);
      return folder[i] && clash && tail(arg, (depth[i] as number) + 1) !== labels[i] ? [i] : [];
    });
    if (clashing.length === 0) break;
    for (const i of clashing) depth[i] = (depth[i] as number) + 1;
  }
  const seen = new Map<string, number>();
  return args.map((_, i) => {
    const l = label(i);
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l}#${n}`;
  });
}

/** The report's `source` of a model: the folder's absolute path only when asked for (--full-paths). */
export function describeSource(resolved: ResolvedModel, label: string, fullPaths: boolean): string {
  if (resolved.kind === 'hub') return `${resolved.snapshot.id}@${resolved.snapshot.commit}`;
  if (resolved.kind === 'bundled') return `bundled: models/${path.basename(resolved.dir)}`;
  return fullPaths ? path.resolve(resolved.dir) : `folder: ${label}`;
}

/** Absolute folders a message may quote, each with what to say instead. */
export type PathNames = ReadonlyArray<readonly [string, string]>;

/** `text` with every folder of `names` (the longest first) replaced by its name, so no absolute path is shown. */
export function relabelPaths(text: string, names: PathNames): string {
  const sorted = [...names].filter(([dir]) => dir.length > 1).sort((a, b) => b[0].length - a[0].length);
  return sorted.reduce((t, [dir, name]) => t.split(dir).join(name), text);
}

/** A failed variant whose message names folders by label rather than by absolute path. */
export function relabelFailure(v: FailedVariant, names: PathNames): FailedVariant {
  return { ...v, error: { ...v.error, message: relabelPaths(v.error.message, names) } };
}
