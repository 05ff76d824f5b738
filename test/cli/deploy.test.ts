import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { editable, sampleReport } from '../helpers/sample-report.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function albench(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ALBENCH_CACHE: path.join(cwd, 'cache') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The sample report (timed on cpu only), written where the command reads it. */
function writeReport(dir: string, edit: (r: ReturnType<typeof editable>) => void = () => {}): string {
  const r = editable(sampleReport());
  // Bytes no cache holds: the sample's files were never written.
  for (const v of r.variants) if (v.state === 'completed') v.fileSha256 = 'e'.repeat(64);
  edit(r);
  const file = path.join(dir, 'report.json');
  fs.writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('albench deploy on the command line', () => {
  it('a report without the target\'s timings exits 1 naming the compare flags to add', () => {
    const dir = tempDir();
    const report = writeReport(dir);
    const cuda = albench(dir, 'deploy', report, '--target', 'cuda', '-o', 'out');
    assert.equal(cuda.status, 1, cuda.stderr);
    assert.match(cuda.stderr, /^error: .*report\.json has no cuda timings \(it timed cpu\); run albench compare again with --device cuda/);
    const browser = albench(dir, 'deploy', report, '--target', 'browser', '-o', 'out');
    assert.equal(browser.status, 1);
    assert.match(browser.stderr, /--device cpu,browser-wasm/);
    assert.equal(fs.existsSync(path.join(dir, 'out')), false);
  });

  it('an unknown target is a usage error (exit 2)', () => {
    const dir = tempDir();
    const r = albench(dir, 'deploy', writeReport(dir), '--target', 'tablet', '-o', 'out');
    assert.equal(r.status, 2, r.stderr);
  });

  it('a file the cache does not hold exits 1 naming it; a file leading out of the cache is never read', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'cache'));
    const missing = albench(dir, 'deploy', writeReport(dir), '--target', 'node', '-o', 'out');
    assert.equal(missing.status, 1, missing.stderr);
    assert.match(missing.stderr, /^error: .*cache.*\.onnx is missing, and no cache entry under .* holds a file with the report's sha256/);
    const hostile = writeReport(dir, (r) => {
      for (const v of r.variants) if (v.state === 'completed') v.file = '../../../../../../dev/zero';
    });
    const out = albench(dir, 'deploy', hostile, '--target', 'node', '-o', 'out');
    assert.equal(out.status, 1, out.stderr);
    assert.match(out.stderr, /dev\/zero is missing/);
  });
});
