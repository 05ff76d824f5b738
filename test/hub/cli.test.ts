import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FakeHub } from '../helpers/fake-hub.js';
import { MAIN_COMMIT, TINY, tinyRepo } from '../helpers/hub-repos.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { withoutProgress } from '../helpers/progress-lines.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Runs the CLI without blocking this process, which is also serving the fake hub it talks to. */
function run(env: Record<string, string>, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const childEnv = { ...process.env, HF_TOKEN: '', HF_HUB_OFFLINE: '', ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: childEnv, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('albench convert <hub id>', () => {
  it('downloads into the cache and converts; later, with the hub gone, converts from the cache with a warning', async () => {
    const hub = await FakeHub.start({ [TINY]: tinyRepo() });
    const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: tempDir('albench-hub-cache-') };
    try {
      const first = await run(env, 'convert', TINY, '-o', path.join(tempDir(), 'out'));
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /wrote .*onnx\/model\.onnx .*bert sequence-classification/);
      assert.ok(fs.existsSync(path.join(env.HF_HUB_CACHE, 'models--albench-test--bert-tiny', 'snapshots', MAIN_COMMIT, 'model.safetensors')));
    } finally {
      await hub.close();
    }
    const again = await run(env, 'convert', TINY, '-o', path.join(tempDir(), 'out'));
    assert.equal(again.status, 0, again.stderr);
    assert.match(withoutProgress(again.stderr), new RegExp(`^warning: ${TINY}: cannot reach http://127\\.0\\.0\\.1:\\d+ \\(ECONNREFUSED\\); using the cached snapshot ${MAIN_COMMIT}, which may be behind the hub\\n$`));
  });

  it('a model not in the cache, offline: one line saying what to download and how, exit 1', async () => {
    const r = await run({ HF_HUB_OFFLINE: '1', HF_HUB_CACHE: tempDir('albench-hub-cache-') }, 'convert', `${TINY}@v2`, '-o', path.join(tempDir(), 'out'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^error: ${TINY}@v2: not in the Hugging Face cache at .*; run again with network access and HF_HUB_OFFLINE unset to download it, or download it into that cache with huggingface_hub: hf download ${TINY} --revision v2\\n$`));
  });
});
