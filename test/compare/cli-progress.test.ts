import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

describe('albench compare off a terminal', () => {
  it('prints a plain line per step on stderr, each naming the user\'s model, never a cache hash or "model#1"', () => {
    const root = tempDir();
    const r = spawnSync(process.execPath, [
      CLI, 'compare', 'bert', 'albert', '--variants', 'fp32,int8-dynamic', '--limit', '24', '--seq', '16', '--threads', '1',
      '--warmup', '1', '--time', '0', '--name', 'progress', '--reports', path.join(root, 'reports'), '--cache', path.join(root, 'cache'),
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /[\r\x1b]/);
    const lines = r.stderr.trimEnd().split('\n');
    for (const line of lines) assert.match(line, /^\[\d+\.\ds\] \S/, line);
    const steps = lines.map((l) => l.replace(/^\[\d+\.\ds\] /, ''));
    for (const expected of [/^bert: converting$/, /^albert: converting$/, /^bert\/fp32: evaluating on SST-2$/, /^albert\/int8-dynamic: SST-2: scored 24\/24$/,
      /^\[\d+\/16\] round \d\/4: bert\/int8-dynamic batch 1 seq 16$/, /^\[\d+\/16\] round \d\/4: albert\/fp32 batch 1 seq 16$/,
      /^writing reports$/]) {
      assert.ok(steps.some((s) => expected.test(s)), `no step matching ${expected} in:\n${r.stderr}`);
    }
    assert.doesNotMatch(r.stderr, /#\d|[0-9a-f]{16}|\bmodel\b(?!\.onnx)/);
  });
});
