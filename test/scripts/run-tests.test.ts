import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const RUNNER = path.join(REPO_ROOT, 'scripts', 'run-tests.mjs');

/** Compiled test files as tsc would leave them (CommonJS here: the temporary folder has no package.json). */
const FILES = {
  passing: "const { it } = require('node:test');\nit('adds', () => { if (1 + 1 !== 2) throw new Error('no'); });\n",
  empty: "// its tests were lost to a bad edit: it loads and declares none\nmodule.exports = { nothing: true };\n",
  skipping: "const { it } = require('node:test');\nit('uses a FIFO', (t) => t.skip('mkfifo is not available'));\nit('runs', () => {});\n",
  todo: "const { it } = require('node:test');\nit('handles tabs', { todo: 'later' }, () => {});\n",
  // Tests declared in a helper module: node:test names the helper as their file, not this one.
  viaHelper: "require('./shared-tests.js')('shared');\n",
} as const;

/** The helper module viaHelper calls; not a *.test.js file, so the runner never runs it on its own. */
const SHARED_TESTS = "const { describe, it } = require('node:test');\nmodule.exports = (label) => describe(label, () => { it('works', () => {}); });\n";

interface Fake {
  readonly files?: Partial<Record<keyof typeof FILES, string>>;
  readonly skips?: unknown;
}

/** The runner on a temporary repository holding dist/test/<name>.test.js per file and, if given, test/skips.json. */
function runOn(fake: Fake): { status: number | null; stderr: string } {
  const root = tempDir('albench-run-tests-');
  fs.mkdirSync(path.join(root, 'dist', 'test'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'test', 'shared-tests.js'), SHARED_TESTS);
  for (const [kind, name] of Object.entries(fake.files ?? {})) {
    fs.writeFileSync(path.join(root, 'dist', 'test', `${name}.test.js`), FILES[kind as keyof typeof FILES]);
  }
  if (fake.skips !== undefined) {
    fs.mkdirSync(path.join(root, 'test'));
    fs.writeFileSync(path.join(root, 'test', 'skips.json'), JSON.stringify(fake.skips));
  }
  // Without this the runner's node --test would take itself for a file of this test run and run nothing.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, [RUNNER], { cwd: root, encoding: 'utf8', env });
  return { status: run.status, stderr: run.stderr };
}

describe('scripts/run-tests.mjs', () => {
  it('passes a folder whose files all run tests', () => {
    const r = runOn({ files: { passing: 'math' } });
    assert.equal(r.status, 0, r.stderr);
  });

  it('credits tests declared in a helper module to each test file that runs them', () => {
    const r = runOn({ files: { viaHelper: 'local', passing: 'math' } });
    assert.equal(r.status, 0, r.stderr);
  });

  it('fails, naming the file, when a test file runs no test, though every test that ran passed', () => {
    const r = runOn({ files: { passing: 'math', empty: 'lost' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /dist\/test\/lost\.test\.js: 0 tests ran/);
    assert.doesNotMatch(r.stderr, /math\.test\.js/);
  });

  it('fails on a skip that test/skips.json does not explain, naming file, test and where to explain it', () => {
    const r = runOn({ files: { skipping: 'fifo' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /test\/fifo\.test\.ts: "uses a FIFO" was skipped \(mkfifo is not available\) without an entry in test\/skips\.json/);
  });

  it('fails on an unexplained todo', () => {
    const r = runOn({ files: { todo: 'tabs' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /test\/tabs\.test\.ts: "handles tabs" was todo \(later\) without an entry/);
  });

  it('passes a skip listed with its file, test and reason', () => {
    const skips = [{ file: 'test/fifo.test.ts', test: 'uses a FIFO', reason: 'mkfifo is missing on some CI images' }];
    const r = runOn({ files: { skipping: 'fifo' }, skips });
    assert.equal(r.status, 0, r.stderr);
  });

  it('refuses a skips list whose entry has no reason', () => {
    const r = runOn({ files: { passing: 'math' }, skips: [{ file: 'test/fifo.test.ts', test: 'uses a FIFO' }] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /test\/skips\.json: entry 1 needs "file", "test" and "reason" \(non-empty strings\)/);
  });

  it('test/skips.json names only test files that exist and tests declared in them', () => {
    const skips = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'skips.json'), 'utf8')) as Array<{ file: string; test: string }>;
    for (const s of skips) {
      const source = path.join(REPO_ROOT, s.file);
      assert.ok(fs.existsSync(source), `${s.file} does not exist`);
      assert.ok(fs.readFileSync(source, 'utf8').includes(s.test), `${s.file} declares no test "${s.test}"`);
    }
  });
});
