import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { HubError, type HubProblem } from '../../src/errors.js';
import { resolveModel } from '../../src/hub/resolve-model.js';
import { FakeHub, sha256 } from '../helpers/fake-hub.js';
import { setHubEnv } from '../helpers/hub-env.js';
import { allRepos, GATED, MAIN_COMMIT, PRIVATE, TINY, tinyFiles, tinyRepo, TOKEN } from '../helpers/hub-repos.js';
import { tempDir } from '../helpers/paths.js';

const WEIGHTS = tinyFiles()['model.safetensors']?.content ?? Buffer.alloc(0);

/** Asserts that resolving `arg` fails with a HubError of `problem` whose one-line message matches `message`. */
async function rejectsWith(arg: string, problem: HubProblem, message: RegExp): Promise<HubError> {
  const e = await resolveModel(arg).then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof HubError, `expected a HubError, got ${String(e)}`);
  assert.equal(e.problem, problem, e.message);
  assert.match(e.message, message);
  assert.ok(!e.message.includes('\n'), 'one line');
  return e;
}

describe('hub ids: failures are detected and explained', () => {
  let hub: FakeHub;
  let cache: string;
  let restoreEnv: () => void;
  const blobsDir = () => path.join(cache, 'models--albench-test--bert-tiny', 'blobs');
  before(async () => {
    hub = await FakeHub.start(allRepos());
  });
  after(() => hub.close());
  beforeEach(() => {
    cache = tempDir('albench-hub-cache-');
    restoreEnv = setHubEnv({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache });
  });
  afterEach(() => {
    restoreEnv();
    hub.corrupt.clear();
    hub.cutOnce.clear();
    hub.ignoreRange = false;
  });

  it('a corrupted LFS download fails its sha256, is deleted and never linked; a clean retry works', async () => {
    hub.corrupt.add('model.safetensors');
    await rejectsWith(TINY, 'corrupt', new RegExp(`^${TINY}: model\\.safetensors as downloaded does not match its LFS sha256 .*expected ${sha256(WEIGHTS)}.*the download was deleted`));
    assert.deepEqual(fs.readdirSync(blobsDir()).filter((f) => f.startsWith(sha256(WEIGHTS))), [], 'neither a blob nor an .incomplete file');
    assert.ok(!fs.existsSync(path.join(cache, 'models--albench-test--bert-tiny', 'snapshots', MAIN_COMMIT, 'model.safetensors')));
    assert.ok(!fs.existsSync(path.join(cache, 'models--albench-test--bert-tiny', 'refs', 'main')), 'no ref to an incomplete snapshot');

    hub.corrupt.clear();
    const r = await resolveModel(TINY);
    assert.deepEqual(fs.readFileSync(path.join(r.dir, 'model.safetensors')), WEIGHTS);
  });

  it('a corrupted git file fails its git blob sha1', async () => {
    hub.corrupt.add('config.json');
    await rejectsWith(TINY, 'corrupt', /config\.json as downloaded does not match its git blob sha1/);
  });

  it('401: a private repo without HF_TOKEN says to set HF_TOKEN; with the token it downloads', async () => {
    await rejectsWith(PRIVATE, 'unauthorized', /^albench-test\/private-tiny: the hub refused access \(401\): the repo is private or gated, or does not exist; if it exists, set HF_TOKEN .*otherwise check the id$/);
    process.env['HF_TOKEN'] = 'hf_wrong';
    await rejectsWith(PRIVATE, 'unauthorized', /the hub refused HF_TOKEN \(401\)/);
    process.env['HF_TOKEN'] = TOKEN;
    const r = await resolveModel(PRIVATE);
    assert.ok(fs.existsSync(path.join(r.dir, 'model.safetensors')));
    assert.equal(hub.requests.at(-1)?.authorization, `Bearer ${TOKEN}`);
  });

  it('403: a gated repo the token cannot read says to request access', async () => {
    process.env['HF_TOKEN'] = 'hf_other_account';
    await rejectsWith(GATED, 'forbidden', new RegExp(`access denied \\(403\\).*request access at ${hub.url}/${GATED}, then set HF_TOKEN`));
  });

  it('404: an unknown repo says to check the id; an unknown revision says to check the revision', async () => {
    await rejectsWith('albench-test/no-such-model', 'not-found', /^albench-test\/no-such-model: no such model on http:\/\/127\.0\.0\.1:\d+ \(404\); check the id/);
    await rejectsWith(`${TINY}@no-such-branch`, 'not-found', /^albench-test\/bert-tiny@no-such-branch: revision "no-such-branch" does not exist \(404\)/);
  });

  it('errors from the hub win over the cache: a cached repo that became private is not served', async () => {
    await resolveModel(TINY);
    const own = await FakeHub.start({ [TINY]: tinyRepo({ kind: 'private', token: TOKEN }) });
    try {
      process.env['HF_ENDPOINT'] = own.url;
      await rejectsWith(TINY, 'unauthorized', /401/);
    } finally {
      await own.close();
    }
  });

  it('an interrupted download resumes: a partial .incomplete is continued with a Range request', async () => {
    const half = Math.floor(WEIGHTS.length / 2);
    fs.mkdirSync(blobsDir(), { recursive: true });
    fs.writeFileSync(path.join(blobsDir(), `${sha256(WEIGHTS)}.incomplete`), WEIGHTS.subarray(0, half));
    const served = hub.bytesServed('model.safetensors').length;
    const r = await resolveModel(TINY);
    assert.deepEqual(hub.bytesServed('model.safetensors').slice(served).map((s) => s.range), [`bytes=${half}-`]);
    assert.deepEqual(fs.readFileSync(path.join(r.dir, 'model.safetensors')), WEIGHTS);
  });

  it('a connection cut mid-file is retried from the byte where it stopped', async () => {
    const cut = 100_000;
    hub.cutOnce.set('model.safetensors', cut);
    const served = hub.bytesServed('model.safetensors').length;
    const r = await resolveModel(TINY);
    const ranges = hub.bytesServed('model.safetensors').slice(served).map((s) => s.range);
    assert.equal(ranges.length, 2);
    assert.equal(ranges[0], undefined);
    assert.match(ranges[1] ?? '', /^bytes=\d+-$/);
    assert.ok(Number(/\d+/.exec(ranges[1] ?? '')?.[0]) >= cut - 65_536, `resumed at ${ranges[1]}, cut after ${cut} bytes`);
    assert.deepEqual(fs.readFileSync(path.join(r.dir, 'model.safetensors')), WEIGHTS);
  });

  it('a server that ignores Range sends the whole file again, which replaces the partial (even a bad one)', async () => {
    hub.ignoreRange = true;
    fs.mkdirSync(blobsDir(), { recursive: true });
    fs.writeFileSync(path.join(blobsDir(), `${sha256(WEIGHTS)}.incomplete`), Buffer.alloc(1000, 7));
    const served = hub.bytesServed('model.safetensors').length;
    const r = await resolveModel(TINY);
    assert.deepEqual(hub.bytesServed('model.safetensors').slice(served).map((s) => s.range), ['bytes=1000-']);
    assert.deepEqual(fs.readFileSync(path.join(r.dir, 'model.safetensors')), WEIGHTS);
  });

  it('a zero-byte file downloads and links like any other', async () => {
    const files = { ...tinyFiles(), 'added_tokens.json': { content: Buffer.alloc(0), lfs: false } };
    const own = await FakeHub.start({ [TINY]: { commits: { [MAIN_COMMIT]: files }, refs: { main: MAIN_COMMIT } } });
    try {
      process.env['HF_ENDPOINT'] = own.url;
      const r = await resolveModel(TINY);
      assert.equal(fs.readFileSync(path.join(r.dir, 'added_tokens.json')).length, 0);
    } finally {
      await own.close();
    }
  });

  it('offline with nothing cached: says what is missing, why, and how to download it', async () => {
    process.env['HF_HUB_OFFLINE'] = '1';
    const requests = hub.requests.length;
    await rejectsWith(`${TINY}@v2`, 'not-cached', new RegExp(`^${TINY}@v2: not in the Hugging Face cache at .*models--albench-test--bert-tiny \\(no download of revision "v2" is recorded\\), and HF_HUB_OFFLINE is set; run again with network access and HF_HUB_OFFLINE unset to download it, or .*hf download ${TINY} --revision v2$`));
    assert.equal(hub.requests.length, requests);
  });

  it('the hub unreachable with nothing cached: the same error, naming the network failure', async () => {
    const own = await FakeHub.start({});
    await own.close();
    process.env['HF_ENDPOINT'] = own.url;
    await rejectsWith(TINY, 'not-cached', /not in the Hugging Face cache .*, and cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); run again with network access to download it/);
  });
});
