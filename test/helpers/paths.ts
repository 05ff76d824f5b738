import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository root (compiled tests run from dist/test/helpers, three folders below it). */
export const REPO_ROOT = path.resolve(new URL('../../..', import.meta.url).pathname);
/** Fixtures committed with the repository; test/fixtures/PROVENANCE.md says what made each. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const CHECKPOINTS = path.join(FIXTURES, 'checkpoints');
export const FIXTURE_NAMES = ['bert-tiny-cls', 'bert-tiny-mlm', 'albert-tiny-cls', 'albert-tiny-groups', 'bert-tiny-regression', 'bert-tiny-cls-legacy-keys'] as const;
/** The original tokenizer files of bert-base-uncased and albert-base-v2, one folder each. */
export const TOKENIZER_FILES = path.join(FIXTURES, 'data', 'tokenizers');
/** GLUE train splits in GLUE's layout; data/glue bundles the dev sets and SST-2 train. */
export const GLUE_TRAIN_FIXTURES = path.join(FIXTURES, 'data', 'glue');
/** torch-written pytorch_model.bin of each bundled model (models/ ships only their safetensors). */
export const MODEL_BINS = path.join(FIXTURES, 'models');

const madeHere: string[] = [];

/**
 * A fresh folder under TMPDIR, removed when this test process exits: every test file runs in its own
 * process, and a suite run used to leave several GB behind (converted models, caches, mirrors).
 */
export function tempDir(prefix = 'albench-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (madeHere.length === 0) process.on('exit', removeTempDirs);
  madeHere.push(dir);
  return dir;
}

function removeTempDirs(): void {
  for (const dir of madeHere) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort at exit: a folder a test left unreadable stays behind rather than failing the run.
    }
  }
}
