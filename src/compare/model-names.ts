import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseHubId } from '../hub/hub-id.js';
import { BUNDLED_MODELS } from '../hub/resolve-model.js';

/** What a model argument of compare names, decided from the text and the file system alone (no network). */
export type ModelArgKind = 'bundled' | 'folder' | 'hub';

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
export function nearestBundledName(arg: string): string | undefined {
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
