import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A digest of albench's own built code, part of every cache key, so results made by other code
 * are never reused. It covers the whole package (dist/cli.js and every .js under dist/src), not
 * the modules a step imports: tracing imports per step would miss code reached through shared
 * helpers (tensor layouts, the ONNX toolkit, tokenizers) and through data the code reads, and a
 * wrongly reused figure costs far more than recomputing after an unrelated edit. Hashing the
 * built files is done once per process.
 *
 * ALBENCH_TEST_CODE_DIGEST replaces the digest; only the tests set it, to stand for an edit of
 * albench's code without editing the built files that every other test is running.
 */
const DIST_DIR = fileURLToPath(new URL('../../', import.meta.url));

export const TEST_CODE_DIGEST_ENV = 'ALBENCH_TEST_CODE_DIGEST';

let memo: string | undefined;

function jsFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const child = path.join(dir, d.name);
    if (d.isDirectory()) return jsFilesUnder(child);
    return d.isFile() && d.name.endsWith('.js') ? [child] : [];
  });
}

function computeDigest(): string {
  const files = [...jsFilesUnder(path.join(DIST_DIR, 'src')), path.join(DIST_DIR, 'cli.js')].filter((f) => fs.existsSync(f));
  const relative = files.map((f) => path.relative(DIST_DIR, f).split(path.sep).join('/')).sort();
  const hash = crypto.createHash('sha256');
  for (const rel of relative) {
    const bytes = fs.readFileSync(path.join(DIST_DIR, rel));
    // Name and length before the bytes, so moving code between files changes the digest.
    hash.update(`${rel}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** sha256 over the relative paths and contents of albench's built code; computed once per process. */
export function codeDigest(): string {
  const override = process.env[TEST_CODE_DIGEST_ENV];
  if (override !== undefined && override !== '') return override;
  memo ??= computeDigest();
  return memo;
}
