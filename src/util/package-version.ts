import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The version of the package `specifier` resolves to from `fromFile` (a module's path or URL), read
 * from its package.json without loading it; null where it is not installed. Packages whose exports
 * map hides package.json (onnxruntime-web, transformers.js) are found above their entry point.
 */
export function installedVersion(specifier: string, fromFile: string): string | null {
  let entry: string;
  try {
    entry = createRequire(fromFile).resolve(specifier);
  } catch {
    return null;
  }
  for (let dir = path.dirname(entry); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === specifier) return manifest.version ?? null;
  }
  return null;
}

/** The file `specifier` resolves to from `fromFile`, or null where it is not installed. */
export function resolvedFrom(specifier: string, fromFile: string): string | null {
  try {
    return createRequire(fromFile).resolve(specifier);
  } catch {
    return null;
  }
}
