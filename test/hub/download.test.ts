import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { scanCachedRepo } from '@huggingface/hub';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { resolveModel, type ResolvedModel } from '../../src/hub/resolve-model.js';
import type { HubSnapshot } from '../../src/hub/hub-snapshot.js';
import { FakeHub, gitBlobSha1, sha256 } from '../helpers/fake-hub.js';
import { setHubEnv } from '../helpers/hub-env.js';
import { allRepos, MAIN_COMMIT, SHARDED, TINY, tinyFiles, V2_COMMIT } from '../helpers/hub-repos.js';
import { tempDir } from '../helpers/paths.js';

const ALBENCH_FILES = ['config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.txt'];

function snapshotOf(r: ResolvedModel): HubSnapshot {
  assert.equal(r.kind, 'hub');
  return r.snapshot;
}

describe('hub ids: downloads into the standard Hugging Face cache', () => {
  let hub: FakeHub;
  let cache: string;
  let restoreEnv: () => void;
  before(async () => {
    hub = await FakeHub.start(allRepos());
  });
  after(() => hub.close());
  beforeEach(() => {
    cache = tempDir('albench-hub-cache-');
    restoreEnv = setHubEnv({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache });
  });
  afterEach(() => restoreEnv());

  it('first download: models--org--name with blobs, snapshots/<commit> links and refs/main, only the files albench reads', async () => {
    const r = await resolveModel(TINY);
    const repoDir = path.join(cache, 'models--albench-test--bert-tiny');
    const snapshot = snapshotOf(r);
    assert.equal(r.dir, path.join(repoDir, 'snapshots', MAIN_COMMIT));
    assert.equal(snapshot.commit, MAIN_COMMIT);
    assert.deepEqual([...snapshot.downloaded].sort(), ALBENCH_FILES);
    assert.equal(fs.readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8'), MAIN_COMMIT);

    const files = tinyFiles();
    assert.deepEqual(fs.readdirSync(r.dir).sort(), ALBENCH_FILES);
    for (const name of ALBENCH_FILES) {
      const f = files[name];
      assert.ok(f);
      const blob = f.lfs ? sha256(f.content) : gitBlobSha1(f.content);
      assert.equal(fs.readlinkSync(path.join(r.dir, name)), path.join('..', '..', 'blobs', blob), name);
      assert.deepEqual(fs.readFileSync(path.join(r.dir, name)), f.content, name);
    }
    assert.equal(fs.readdirSync(path.join(repoDir, 'blobs')).length, ALBENCH_FILES.length, 'no .incomplete left behind');
    assert.equal(hub.bytesServed('pytorch_model.bin').length, 0, 'safetensors is preferred; the .bin is not fetched');
    assert.equal(hub.bytesServed('README.md').length, 0);

    // huggingface.js's own cache reader sees a well-formed repo: one revision, its ref, its files.
    const scanned = await scanCachedRepo(repoDir);
    assert.deepEqual(scanned.revisions.map((rev) => ({ commit: rev.commitOid, refs: rev.refs, files: rev.files.length })), [{ commit: MAIN_COMMIT, refs: ['main'], files: ALBENCH_FILES.length }]);
  });

  it('--weights bin fetches pytorch_model.bin and not model.safetensors', async () => {
    const r = await resolveModel(TINY, { prefer: 'bin' });
    assert.ok(fs.existsSync(path.join(r.dir, 'pytorch_model.bin')));
    assert.ok(!fs.existsSync(path.join(r.dir, 'model.safetensors')));
  });

  it('a second resolve is a cache hit: nothing downloaded, and no request at all with HF_HUB_OFFLINE=1', async () => {
    const first = await resolveModel(TINY);
    const second = await resolveModel(TINY);
    assert.equal(second.dir, first.dir);
    assert.deepEqual(snapshotOf(second).downloaded, []);

    const before = hub.requests.length;
    process.env['HF_HUB_OFFLINE'] = '1';
    const offline = await resolveModel(TINY);
    assert.equal(offline.dir, first.dir);
    assert.equal(snapshotOf(offline).offlineReason, 'HF_HUB_OFFLINE is set');
    assert.equal(hub.requests.length, before, 'HF_HUB_OFFLINE=1 makes no request');
  });

  it('a cache hit with the hub stopped (connection refused) answers from the cache', async () => {
    const own = await FakeHub.start(allRepos());
    process.env['HF_ENDPOINT'] = own.url;
    try {
      const first = await resolveModel(TINY);
      await own.close();
      const again = await resolveModel(TINY);
      assert.equal(again.dir, first.dir);
      // ECONNREFUSED, or "other side closed" when fetch's pooled keep-alive socket is the one that finds out
      assert.match(snapshotOf(again).offlineReason ?? '', /^cannot reach http:\/\/127\.0\.0\.1:\d+ \(.+\)$/);
    } finally {
      await own.close();
    }
  });

  it('revision pinning: @v2 and @<commit> get their own snapshots and refs; the shared weights blob is fetched once', async () => {
    const weightDownloads = hub.bytesServed('model.safetensors').length;
    const main = await resolveModel(TINY);
    const v2 = await resolveModel(`${TINY}@v2`);
    assert.equal(snapshotOf(v2).commit, V2_COMMIT);
    assert.notEqual(v2.dir, main.dir);
    assert.deepEqual(snapshotOf(v2).downloaded, ['config.json'], 'only the file that differs between the commits');
    assert.equal(hub.bytesServed('model.safetensors').length, weightDownloads + 1);
    const repoDir = path.join(cache, 'models--albench-test--bert-tiny');
    assert.equal(fs.readFileSync(path.join(repoDir, 'refs', 'v2'), 'utf8'), V2_COMMIT);
    assert.equal(fs.readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8'), MAIN_COMMIT);
    assert.equal((JSON.parse(fs.readFileSync(path.join(v2.dir, 'config.json'), 'utf8')) as { _name_or_path?: string })._name_or_path, 'bert-tiny-v2');
    assert.equal((JSON.parse(fs.readFileSync(path.join(main.dir, 'config.json'), 'utf8')) as { _name_or_path?: string })._name_or_path, undefined);

    // A commit hash is final: once cached it resolves without asking the hub.
    const requests = hub.requests.length;
    const pinned = await resolveModel(`${TINY}@${V2_COMMIT}`);
    assert.equal(pinned.dir, v2.dir);
    assert.equal(hub.requests.length, requests);
  });

  it('a sharded checkpoint brings its index and exactly the shards it names', async () => {
    const r = await resolveModel(SHARDED);
    assert.deepEqual(fs.readdirSync(r.dir).sort(), ['config.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json']);
  });

  it('progress names the file and its size', async () => {
    const steps: string[] = [];
    await resolveModel(TINY, { progress: { step: (m) => steps.push(m), done: () => undefined } });
    const kB = ((tinyFiles()['model.safetensors']?.content.length ?? 0) / 1e3).toFixed(1);
    assert.ok(steps.includes(`downloading ${TINY} model.safetensors: ${kB} kB of ${kB} kB`), steps.join('\n'));
  });

  it('the downloaded model converts end to end (sharded too)', async () => {
    for (const id of [TINY, SHARDED]) {
      const model = await resolveModel(id);
      const out = path.join(tempDir(), 'onnx');
      const record = await convert({ source: { kind: 'checkpoint', dir: model.dir }, outDir: out });
      assert.equal(record.validation?.passed, true, id);
      assert.ok(fs.existsSync(path.join(out, MODEL_PATH)));
      if (id === TINY) assert.ok(fs.existsSync(path.join(out, 'vocab.txt')), 'tokenizer files travel with the model');
    }
  });
});
