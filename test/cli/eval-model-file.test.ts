import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
/** Run from a folder of its own, so a name can only be found through the model folder. */
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tempDir(), stdio: ['ignore', 'pipe', 'pipe'] });

describe('eval --model-file resolves against the model folder', () => {
  let model = '';
  before(() => {
    model = path.join(tempDir(), 'bert');
    for (const args of [['convert', 'bert', '-o', model, '--no-validate'], ['quantize', model]]) {
      const r = run(...args);
      assert.equal(r.status, 0, r.stderr);
    }
  });

  for (const name of ['onnx/model_quantized.onnx', 'model_quantized.onnx']) {
    it(`--model-file ${name} runs the folder's quantized graph`, () => {
      const r = run('eval', model, '--task', 'sst2', '--limit', '8', '--model-file', name, '--json');
      assert.equal(r.status, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { modelFile: string }).modelFile, path.join(model, 'onnx', 'model_quantized.onnx'));
    });
  }

  it('a name the folder does not have: exit 1, saying where it looked', () => {
    const r = run('eval', model, '--task', 'sst2', '--limit', '8', '--model-file', 'model_int8.onnx');
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`error: model_int8\\.onnx: is not a file; looked for ${path.join(model, 'model_int8.onnx')}`));
  });
});
