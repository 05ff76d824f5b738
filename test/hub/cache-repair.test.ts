import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { HubError } from '../../src/errors.js';
import { resolveModel } from '../../src/hub/resolve-model.js';
import { FakeHub, gitBlobSha1, sha256 } from '../helpers/fake-hub.js';
import { setHubEnv } from '../helpers/hub-env.js';
import { allRepos, MAIN_COMMIT, TINY, tinyFiles } from '../helpers/hub-repos.js';
import { tempDir } from '../helpers/paths.js';

const FILES = tinyFiles();
const WEIGHTS = FILES['model.safetensors']?.content ?? Buffer.alloc(0);
const CONFIG = FILES['config.json']?.content ?? Buffer.alloc(0);

describe('hub cache: a truncated or damaged blob is fetched again online, and refused offline with the repair command', () => {
  let hub: FakeHub;
  let cache: string;
  let restoreEnv: () => void;
  const repoDir = () => path.join(cache, 'models--albench-test--bert-tiny');
  const blob = (hash: string) => path.join(repoDir(), 'blobs', hash);
  const snapshotFile = (name: string) => path.join(repoDir(), 'snapshots', MAIN_COMMIT, name);
  before(async () => {
    hub = await FakeHub.start(allRepos());
  });
  after(() => hub.close());
  beforeEach(() => {
    cache = tempDir('albench-hub-cache-');
    restoreEnv = setHubEnv({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache });
  });
  afterEach(() => restoreEnv());

  it('a truncated weights blob is checked against the listed size and sha256 and downloaded again', async () => {
    await resolveModel(TINY);
    fs.truncateSync(blob(sha256(WEIGHTS)), 100);
    const served = hub.bytesServed('model.safetensors').length;
    const warnings: string[] = [];
    const again = await resolveModel(TINY, { warn: (m) => warnings.push(m) });
    assert.equal(again.kind, 'hub');
    assert.deepEqual(again.kind === 'hub' ? again.snapshot.downloaded : [], ['model.safetensors']);
    assert.equal(hub.bytesServed('model.safetensors').length, served + 1);
    assert.deepEqual(fs.readFileSync(snapshotFile('model.safetensors')), WEIGHTS);
    assert.deepEqual(warnings, [`${TINY}: the cached copy of model.safetensors is 100 bytes where the hub lists ${WEIGHTS.length}; downloading it again`]);
  });

  it('a blob of the right size with the wrong bytes fails its hash and is downloaded again, for a pinned commit too', async () => {
    await resolveModel(TINY);
    const damaged = Buffer.from(CONFIG);
    damaged[0] = 0x20;
    fs.writeFileSync(blob(gitBlobSha1(CONFIG)), damaged);
    const again = await resolveModel(`${TINY}@${MAIN_COMMIT}`);
    assert.deepEqual(again.kind === 'hub' ? again.snapshot.downloaded : [], ['config.json']);
    assert.deepEqual(fs.readFileSync(snapshotFile('config.json')), CONFIG);
  });

  it('offline, a truncated blob is refused naming the model and file (not the cache path) and the command that repairs it', async () => {
    await resolveModel(TINY);
    fs.truncateSync(blob(sha256(WEIGHTS)), 100);
    process.env['HF_HUB_OFFLINE'] = '1';
    const requests = hub.requests.length;
    const e = await resolveModel(TINY).then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof HubError && e.problem === 'corrupt', String(e));
    assert.match(e.message, new RegExp(`^${TINY}: the cached model\\.safetensors does not match its LFS sha256 .*and HF_HUB_OFFLINE is set; `
      + 'run again with network access and HF_HUB_OFFLINE unset to fetch it again, or repair the cache with huggingface_hub: '
      + `hf download ${TINY} model\\.safetensors --force-download$`));
    assert.ok(!e.message.includes(cache), 'the message names the hub file, not the cache copy');
    assert.equal(hub.requests.length, requests);
  });

  it('with the hub unreachable, the damaged cache is refused the same way', async () => {
    await resolveModel(TINY);
    fs.appendFileSync(blob(gitBlobSha1(CONFIG)), ' ');
    process.env['HF_ENDPOINT'] = 'http://127.0.0.1:9';
    const expected = /the cached config\.json does not match its git blob sha1 .*, and cannot reach http:\/\/127\.0\.0\.1:9 .*/;
    await assert.rejects(resolveModel(TINY), (e: unknown) => e instanceof HubError && e.problem === 'corrupt'
      && expected.test(e.message) && e.message.endsWith('hf download albench-test/bert-tiny config.json --force-download'));
  });

  it('a snapshot link that leaves the cache is refused offline and replaced by the right link online', async () => {
    await resolveModel(TINY);
    const elsewhere = path.join(tempDir(), 'vocab.txt');
    fs.writeFileSync(elsewhere, 'stolen\n');
    fs.rmSync(snapshotFile('vocab.txt'));
    fs.symlinkSync(elsewhere, snapshotFile('vocab.txt'));
    process.env['HF_HUB_OFFLINE'] = '1';
    await assert.rejects(resolveModel(TINY), new RegExp(`the cached vocab\\.txt is a link to ${elsewhere}, not to a blob of this repo`));
    delete process.env['HF_HUB_OFFLINE'];
    const repaired = await resolveModel(TINY);
    assert.deepEqual(fs.readFileSync(path.join(repaired.dir, 'vocab.txt')), FILES['vocab.txt']?.content);
    assert.equal(fs.readlinkSync(snapshotFile('vocab.txt')), path.join('..', '..', 'blobs', gitBlobSha1(FILES['vocab.txt']?.content ?? Buffer.alloc(0))));
  });
});
