import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { interruptConvert } from '../helpers/interrupt-convert.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

// Ctrl-C, and SIGTERM from `timeout` or a cancelled CI job: the exit code is the shell's 128 + signal number.
const SIGNALS = [
  { signal: 'SIGINT', exitCode: 130, says: /interrupted; no partial output was left/ },
  { signal: 'SIGTERM', exitCode: 143, says: /terminated \(SIGTERM\); no partial output was left/ },
] as const;

for (const { signal, exitCode, says } of SIGNALS) describe(`${signal} during convert`, () => {
  it('leaves no partial files and the previous output intact', async () => {
    const root = tempDir();
    const out = path.join(root, 'model');
    assert.equal(spawnSync(process.execPath, [CLI, 'convert', path.join(CHECKPOINTS, 'bert-tiny-cls'), '-o', out]).status, 0);
    const before = fs.readFileSync(path.join(out, 'onnx', 'model.onnx'));

    // A full-size conversion takes long enough to be interrupted once its temporary folder exists.
    const child = spawn(process.execPath, [CLI, 'convert', '--config', 'bert-base-uncased', '--random-weights', '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!fs.readdirSync(root).some((f) => f.includes('.tmp-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(fs.readdirSync(root).some((f) => f.includes('.tmp-')), 'the conversion started writing');
    child.kill(signal);
    assert.equal(await exited, exitCode, stderr);
    assert.match(stderr, says);
    assert.deepEqual(fs.readdirSync(root), ['model']);
    assert.deepEqual(fs.readFileSync(path.join(out, 'onnx', 'model.onnx')), before);
  });

  /** Interrupts a random-weights conversion `waitMs` after `marker`; checks the exit code, and gives the folder and seconds. */
  async function interruptAt(config: string, marker: string, waitMs: number): Promise<{ root: string; stderr: string; seconds: number }> {
    const root = tempDir();
    const r = await interruptConvert(CLI, { config, root, marker, waitMs, signal });
    assert.equal(r.code, exitCode, r.stderr);
    return { root, stderr: r.stderr, seconds: r.seconds };
  }

  it('stops within seconds while the written model is validated', async () => {
    // Past the one long step of a random-weights reference pass, generating the whole word table to gather its rows.
    const { root, stderr, seconds } = await interruptAt('bert-base-uncased', 'validating against the float64 reference', 2000);
    assert.ok(seconds < 3, `exited ${seconds.toFixed(1)} s after ${signal}`);
    assert.match(stderr, says);
    assert.deepEqual(fs.readdirSync(root), []);
  });

  it('stops within seconds while tensors are being written, leaving nothing', async () => {
    // bert-large's 1.3 GB take several seconds to write, which the interrupt must not wait for.
    const { root, stderr, seconds } = await interruptAt('bert-large-uncased', 'writing onnx/model.onnx', 300);
    // Generous for a loaded CI machine; before the writer let the event loop run, the whole model was written first.
    assert.ok(seconds < 3, `exited ${seconds.toFixed(1)} s after ${signal}`);
    assert.match(stderr, says);
    assert.deepEqual(fs.readdirSync(root), []);
  });
});
