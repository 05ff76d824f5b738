/**
 * What stress-cache.ts checks after each pass, written without albench's cache code so that it
 * judges any version of it alike: an entry folder against its own manifest.json (every file listed,
 * of its size and sha256, nothing else), and a model folder for its config.json and tokenizer files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The side files every model folder of the stress has, as a converted model has config.json and its tokenizer. */
export const MODEL_SIDE_FILES = ['config.json', 'tokenizer.json', 'vocab.txt'] as const;

interface ManifestShape { readonly files: ReadonlyArray<{ readonly path: string; readonly bytes: number; readonly sha256: string }> }

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((d) => {
    const rel = prefix === '' ? d.name : `${prefix}/${d.name}`;
    return d.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

/** Why the entry at `dir` does not match its manifest, or is not a whole model folder; null when it is whole. */
export function entryProblem(dir: string, step: string): string | null {
  let manifest: ManifestShape;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ManifestShape;
  } catch (e) {
    return `manifest.json: ${(e as Error).message}`;
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  const extra = filesUnder(dir).find((rel) => rel !== 'manifest.json' && !listed.has(rel));
  if (extra !== undefined) return `${extra} is not in manifest.json`;
  for (const f of manifest.files) {
    const file = path.join(dir, ...f.path.split('/'));
    if (!fs.existsSync(file)) return `${f.path} is missing`;
    if (fs.statSync(file).size !== f.bytes) return `${f.path} has ${fs.statSync(file).size} bytes, ${f.bytes} in manifest.json`;
    if (crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') !== f.sha256) return `${f.path} does not match its sha256`;
  }
  const model = step === 'convert' ? path.join(dir, 'model') : dir;
  const lacking = MODEL_SIDE_FILES.filter((f) => !fs.existsSync(path.join(model, f)));
  return lacking.length === 0 ? null : `a model entry without ${lacking.join(', ')}`;
}

/** The producer token in the entry's result.json, or null when there is no readable one. */
export function entryToken(dir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as { token?: string }).token ?? null;
  } catch {
    return null;
  }
}
