import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { convertedFixture } from '../helpers/quantize.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('albench optimize (CLI)', () => {
  it('a model folder: writes onnx/model_optimized.onnx and its record, prints what fused; a second pass is refused in one line', async () => {
    const dir = path.join(tempDir(), 'm');
    fs.cpSync(await convertedFixture('albert-tiny-cls'), dir, { recursive: true });
    const r = run('optimize', dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /131 -> 74 nodes/);
    assert.match(r.stdout, /fused: 3 x Attention \(1 packed QKV weight tensor for 3 attention blocks\)/);
    const out = path.join(dir, 'onnx', 'model_optimized.onnx');
    assert.ok(fs.existsSync(out) && fs.existsSync(path.join(dir, 'onnx', 'model_optimized.albench.json')));
    const again = run('optimize', out, '-o', path.join(dir, 'again.onnx'));
    assert.equal(again.status, 1);
    assert.match(again.stderr, new RegExp(`^error: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is already optimized [^\\n]*\\n$`));
  });

  it('--fp16 -o writes where it is told', async () => {
    const out = path.join(tempDir(), 'half.onnx');
    const r = run('optimize', await convertedFixture('bert-tiny-cls'), '--fp16', '-o', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /float16, float32 inputs\/outputs/);
    assert.ok(fs.existsSync(out));
  });
});
