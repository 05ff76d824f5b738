import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHECKPOINTS, REPO_ROOT, tempDir } from './helpers/paths.js';
import { withoutProgress } from './helpers/progress-lines.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('albench CLI', () => {
  it('convert prints what it wrote and the validation figure, exit 0', () => {
    const out = path.join(tempDir(), 'm');
    const r = run('convert', path.join(CHECKPOINTS, 'albert-tiny-cls'), '-o', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote .*onnx\/model\.onnx .*albert sequence-classification, opset 17/);
    assert.match(r.stdout, /max \|diff\| \d\.\d\de-\d+ \(tolerance 0\.0001\)/);
    assert.ok(fs.existsSync(path.join(out, 'onnx', 'model.onnx')));
  });

  it('bad input: one line naming the file, exit 1, no stack trace', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
    const r = run('convert', dir, '-o', path.join(tempDir(), 'o'));
    assert.equal(r.status, 1);
    assert.equal(withoutProgress(r.stderr), `error: ${path.join(dir, 'config.json')}: is not valid JSON\n`);
  });

  it('--debug adds the stack trace', () => {
    const r = run('--debug', 'convert', '/nonexistent', '-o', path.join(tempDir(), 'o'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /at resolveModel/);
  });

  it('bad usage: exit 2', () => {
    assert.equal(run('convert', path.join(CHECKPOINTS, 'bert-tiny-cls')).status, 2, 'missing -o');
    assert.equal(run('convert', '--config', 'bert-base-uncased', '-o', path.join(tempDir(), 'o')).status, 2, '--config without --random-weights');
    assert.equal(run('convert', path.join(CHECKPOINTS, 'bert-tiny-cls'), '-o', path.join(tempDir(), 'o'), '--task', 'bogus').status, 2);
    assert.equal(run('convert', path.join(CHECKPOINTS, 'bert-tiny-cls'), '-o', path.join(tempDir(), 'o'), '--opset', '99').status, 2);
    assert.equal(run('nonsense').status, 2);
  });

  it('inspect --json gives unique and executed counts', () => {
    const r = run('inspect', 'albert-base-v2', '--task', 'sequence-classification', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { params: { unique: { total: number }; executed: { total: number } } };
    assert.equal(report.params.unique.total, 11_685_122);
    assert.ok(report.params.executed.total > 7 * report.params.unique.total);
  });
});
