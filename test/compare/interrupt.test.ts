import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

// Ctrl-C, and SIGTERM from `timeout` or a cancelled CI job: the exit code is the shell's 128 + signal number.
const SIGNALS = [{ signal: 'SIGINT', exitCode: 130 }, { signal: 'SIGTERM', exitCode: 143 }] as const;

for (const { signal, exitCode } of SIGNALS) describe(`${signal} during compare`, () => {
  it('keeps the previous report and leaves no temporary folders in the reports or the cache', async () => {
    const root = tempDir();
    const reportDir = path.join(root, 'reports', 'run');
    fs.mkdirSync(reportDir, { recursive: true });
    fs.writeFileSync(path.join(reportDir, 'report.json'), '{"previous": true}\n');
    const child = spawn(process.execPath, [CLI, 'compare', 'bert', 'albert', '--quiet', '--name', 'run', '--reports', path.join(root, 'reports'), '--cache', path.join(root, 'cache')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first cache entry is being written, i.e. in the middle of the work.
    const deadline = Date.now() + 30_000;
    const busy = () => fs.existsSync(path.join(root, 'cache', 'convert')) && fs.readdirSync(path.join(root, 'cache', 'convert')).length > 0;
    while (!busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill(signal);
    assert.equal(await exited, exitCode, stderr);
    assert.equal(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'), '{"previous": true}\n');
    assert.deepEqual(fs.readdirSync(path.join(root, 'reports')), ['run']);
    const leftovers = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name.includes('.tmp-') ? [path.join(dir, e.name)] : e.isDirectory() ? leftovers(path.join(dir, e.name)) : []));
    assert.deepEqual(leftovers(path.join(root, 'cache')), []);
  });
});
