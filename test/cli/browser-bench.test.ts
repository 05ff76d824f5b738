import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, REPO_ROOT } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const MODEL = path.join(FIXTURES, 'torch-onnx', 'bert-tiny-cls.onnx');

/** Runs without a browser (the measuring tests are in test/browser, run by `npm run test:browser`). */
describe('albench browser-bench without a browser', () => {
  it('says what it needs and how to install it when Chromium is missing', () => {
    const run = spawnSync(process.execPath, [CLI, 'browser-bench', MODEL], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ALBENCH_CHROMIUM: path.join(FIXTURES, 'no-such-chromium') },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /error: browser-bench needs playwright-core and Chromium: npm install playwright-core; apt-get install chromium/);
    assert.match(run.stderr, /no-such-chromium does not exist/);
  });

  it('refuses a device onnxruntime-web has no backend for', () => {
    const run = spawnSync(process.execPath, [CLI, 'browser-bench', MODEL, '--device', 'cuda'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--device.*cuda.*(wasm, webgpu|wasm.*webgpu)/);
  });
});
