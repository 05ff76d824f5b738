import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseHubId } from '../hub/hub-id.js';
import { BUNDLED_MODELS, type ResolvedModel } from '../hub/resolve-model.js';
import type { FailedVariant } from '../report/model/types.js';

/**
 * What a model argument means: which kind it is (a bundled name, a checkpoint folder, a hub id),
 * the label the report gives it, how its source is shown, and how paths in messages become labels.
 */

/** What a model argument of compare names, decided from the text and the file system alone (no network). */
type ModelArgKind = 'bundled' | 'folder' | 'hub';

const BUNDLED_NAMES = Object.keys(BUNDLED_MODELS);

/** Edit distance with adjacent transpositions (optimal string alignment): `bret` is one edit from `bert`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The bundled name closest to `arg`, when it is close enough to be a typo (at most 2 edits). */
function nearestBundledName(arg: string): string | undefined {
  const ranked = BUNDLED_NAMES.map((name) => ({ name, distance: editDistance(arg.toLowerCase(), name) })).sort((x, y) => x.distance - y.distance);
  const best = ranked[0];
  return best !== undefined && best.distance <= 2 ? best.name : undefined;
}

/** `./x`, `/x`, `~/x` or `x/` can only mean a folder. */
function looksLikePath(arg: string): boolean {
  return /^[.~/]|[\\/]$/.test(arg) || path.isAbsolute(arg);
}

/**
 * Classifies a model argument, refusing one that is neither a bundled name, nor an existing folder,
 * nor a Hugging Face id with an organisation (`org/name`, optionally `@revision`). A bare name is
 * refused rather than sent to the hub: it is far more often a mistyped bundled name than one of
 * the hub's few unprefixed legacy ids, and a hub round trip would hide the typo behind a download error.
 */
export function classifyModelArg(arg: string): ModelArgKind {
  if (Object.hasOwn(BUNDLED_MODELS, arg)) return 'bundled';
  if (fs.existsSync(arg)) {
    if (fs.statSync(arg).isDirectory()) return 'folder';
    throw new UsageError(`model "${arg}" is a file; give the checkpoint folder that holds config.json and the weights`);
  }
  const id = looksLikePath(arg) ? undefined : parseHubId(arg);
  if (id !== undefined && id.repo.includes('/')) return 'hub';
  const nearest = nearestBundledName(arg);
  const hint = nearest === undefined ? '' : `; did you mean ${nearest}?`;
  const what = looksLikePath(arg)
    ? 'is not an existing folder'
    : `is not a bundled model (${BUNDLED_NAMES.join(', ')}), an existing folder, or a Hugging Face id (org/name)`;
  throw new UsageError(`model "${arg}" ${what}${hint}`);
}

/** One model's part of a report name: the bundled name, the folder's base name, or the hub id with `/` and `@` as `_`. */
function namePart(arg: string): string {
  const isFolder = !Object.hasOwn(BUNDLED_MODELS, arg) && (fs.existsSync(arg) || looksLikePath(arg));
  const raw = isFolder ? path.basename(path.resolve(arg)) : arg;
  const safe = raw.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return safe === '' ? 'model' : safe;
}

/** Longer names are cut and given a digest of the whole, so they stay distinct and fit in a folder name. */
const MAX_NAME = 120;

/**
 * The report name compare uses when none is given: each model's part joined by `-vs-`
 * (`compare ./models/x /abs/y` -> `x-vs-y`), always a valid report name.
 */
export function defaultReportName(models: readonly string[]): string {
  const name = models.map(namePart).join('-vs-');
  if (name.length <= MAX_NAME) return name;
  const digest = crypto.createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9)}-${digest}`;
}

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
