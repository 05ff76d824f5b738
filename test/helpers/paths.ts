import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** ../shared beside the repo (dist/test/helpers -> repo root is three folders up). */
export const REPO_ROOT = path.resolve(new URL('../../..', import.meta.url).pathname);
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
export const FIXTURES = path.join(SHARED, 'fixtures');
export const CHECKPOINTS = path.join(FIXTURES, 'checkpoints');
export const FIXTURE_NAMES = ['bert-tiny-cls', 'bert-tiny-mlm', 'albert-tiny-cls', 'albert-tiny-groups', 'bert-tiny-regression', 'bert-tiny-cls-legacy-keys'] as const;

export function tempDir(prefix = 'albench-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
