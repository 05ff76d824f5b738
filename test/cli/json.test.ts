import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What each command's JSON must hold, so a check cannot pass on any JSON at all. */
type Shape = (value: Record<string, unknown>) => boolean;

/**
 * The one --json convention: `--json` (or `--json -`) prints JSON on stdout instead of the text;
 * `--json FILE` writes the same JSON to FILE and the text to stdout; a value that is no .json file
 * name is refused (exit 2), since it is most likely a positional argument swallowed by the option.
 */
function checkJsonConvention(args: readonly string[], shape: Shape, textPattern: RegExp): void {
  const text = run(...args);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, textPattern);

  const stdout = run(...args, '--json');
  assert.equal(stdout.status, 0, stdout.stderr);
  const printed = JSON.parse(stdout.stdout) as Record<string, unknown>;
  assert.ok(shape(printed), stdout.stdout.slice(0, 400));
  assert.deepEqual(Object.keys(JSON.parse(run(...args, '--json', '-').stdout) as object), Object.keys(printed));

  const file = path.join(tempDir(), 'out.json');
  const toFile = run(...args, '--json', file);
  assert.equal(toFile.status, 0, toFile.stderr);
  assert.match(toFile.stdout, textPattern);
  const written = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.ok(shape(written));
  assert.deepEqual(Object.keys(written), Object.keys(printed));

  const missingFolder = run(...args, '--json', path.join(tempDir(), 'no', 'such', 'out.json'));
  assert.equal(missingFolder.status, 1);
  assert.match(missingFolder.stderr, /--json .*: the folder .* does not exist/);

  const swallowed = run(args[0] as string, '--json', 'not-a-json-file', ...args.slice(1));
  assert.equal(swallowed.status, 2);
  assert.match(swallowed.stderr, /not a file name ending in \.json; to print JSON on stdout, put --json after the other arguments/);
}

describe('--json is the same in every command that has it', () => {
  let model = '';
  before(() => {
    model = path.join(tempDir(), 'bert');
    const r = run('convert', 'bert', '-o', model, '--no-validate');
    assert.equal(r.status, 0, r.stderr);
  });

  it('inspect', () => {
    const uniqueTotal = (v: Record<string, unknown>) => (v['params'] as { unique: { total: number } }).unique.total;
    checkJsonConvention(['inspect', 'bert-base-uncased', '--task', 'base'], (v) => uniqueTotal(v) === 109_482_240, /executed \/ unique/);
  });

  it('doctor', () => {
    checkJsonConvention(['doctor'], (v) => Array.isArray(v['executionProviders']), /cpu/i);
  });

  it('eval', () => {
    checkJsonConvention(
      ['eval', model, '--task', 'sst2', '--limit', '8'],
      (v) => v['examples'] === 8 && v['task'] === 'sst2' && !('predictions' in v), /accuracy/,
    );
  });

  it('bench', () => {
    checkJsonConvention(
      ['bench', model, '--seq', '8', '--iterations', '2', '--warmup', '1', '--threads', '1'],
      (v) => v['kind'] === 'albench-bench' && (v['models'] as unknown[]).length === 1, /p50/,
    );
  });
});
