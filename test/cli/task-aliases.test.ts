import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { HEADS, parseHead } from '../../src/arch/types.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** optimum-cli export onnx --task names and the heads they export. */
const OPTIMUM = [['feature-extraction', 'base'], ['text-classification', 'sequence-classification'], ['fill-mask', 'masked-lm']] as const;

describe('--task accepts optimum\'s task names', () => {
  it('each alias is its head; the heads are themselves; anything else is refused', () => {
    for (const [alias, head] of OPTIMUM) assert.equal(parseHead(alias), head);
    for (const head of HEADS) assert.equal(parseHead(head), head);
    assert.equal(parseHead('token-classification'), undefined);
  });

  it('inspect: an alias counts what its head counts', () => {
    for (const [alias, head] of OPTIMUM) {
      const byAlias = run('inspect', 'bert-base-uncased', '--task', alias);
      assert.equal(byAlias.status, 0, byAlias.stderr);
      assert.equal(byAlias.stdout, run('inspect', 'bert-base-uncased', '--task', head).stdout);
    }
  });

  it('convert --task feature-extraction builds the base model; an unknown task is bad usage listing both names', () => {
    const out = path.join(tempDir(), 'base');
    const r = run('convert', path.join(CHECKPOINTS, 'bert-tiny-cls'), '-o', out, '--task', 'feature-extraction', '--no-validate');
    assert.equal(r.status, 0, r.stderr);
    const record = JSON.parse(fs.readFileSync(path.join(out, 'albench.json'), 'utf8')) as { settings: { task: string } };
    assert.equal(record.settings.task, 'base');
    const bad = run('convert', path.join(CHECKPOINTS, 'bert-tiny-cls'), '-o', out, '--task', 'token-classification');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /sequence-classification \(or text-classification\)/);
  });
});
