import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CheckpointError, UsageError } from '../../src/errors.js';
import { DEFAULT_REVISION, parseHubId } from '../../src/hub/hub-id.js';
import { resolveModel } from '../../src/hub/resolve-model.js';
import { FakeHub } from '../helpers/fake-hub.js';
import { setHubEnv } from '../helpers/hub-env.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';

describe('resolveModel: bundled names and folders never touch the network', () => {
  let hub: FakeHub;
  let restoreEnv: () => void;
  before(async () => {
    hub = await FakeHub.start({});
  });
  after(() => hub.close());
  beforeEach(() => {
    restoreEnv = setHubEnv({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: tempDir('albench-hub-cache-') });
  });
  afterEach(() => {
    assert.equal(hub.requests.length, 0, 'no request reached the hub');
    restoreEnv();
  });

  it('bert and albert are the bundled SST-2 models', async () => {
    assert.deepEqual(await resolveModel('bert'), { kind: 'bundled', name: 'bert', dir: path.join(REPO_ROOT, 'models', 'bert-sst2-mini') });
    assert.deepEqual(await resolveModel('albert'), { kind: 'bundled', name: 'albert', dir: path.join(REPO_ROOT, 'models', 'albert-sst2-mini') });
  });

  it('an existing folder is read in place, even when its name could be a hub id', async () => {
    const dir = path.join(CHECKPOINTS, 'bert-tiny-cls');
    assert.deepEqual(await resolveModel(dir), { kind: 'folder', dir });
    const relative = path.relative(process.cwd(), dir);
    assert.deepEqual(await resolveModel(relative), { kind: 'folder', dir: relative });
  });

  it('a path that does not exist, or a file, is a CheckpointError rather than a hub lookup', async () => {
    await assert.rejects(resolveModel('./no-such-folder'), (e) => e instanceof CheckpointError && /is not a folder/.test(e.message));
    await assert.rejects(resolveModel('/no/such/folder'), CheckpointError);
    await assert.rejects(resolveModel(path.join(CHECKPOINTS, 'bert-tiny-cls', 'config.json')), (e) => e instanceof CheckpointError && /is a file/.test(e.message));
  });

  it('something that is none of the three is a UsageError naming all three', async () => {
    for (const arg of ['a/b/c', 'org/-name', 'org--x/name', 'org/name@', 'org/name@..', 'bad name']) {
      await assert.rejects(resolveModel(arg), (e) => e instanceof UsageError && /bundled model \(bert, albert\), an existing folder, or a Hugging Face model id/.test(e.message), arg);
    }
  });
});

describe('parseHubId', () => {
  it('reads org/name and legacy single names, with an optional @revision (default main)', () => {
    assert.deepEqual(parseHubId('textattack/bert-base-uncased-SST-2'), { repo: 'textattack/bert-base-uncased-SST-2', revision: DEFAULT_REVISION });
    assert.deepEqual(parseHubId('bert-base-uncased'), { repo: 'bert-base-uncased', revision: 'main' });
    assert.deepEqual(parseHubId('org/name@v1.0'), { repo: 'org/name', revision: 'v1.0' });
    assert.deepEqual(parseHubId('org/name@refs/pr/3'), { repo: 'org/name', revision: 'refs/pr/3' });
  });

  it('refuses what the hub refuses, and revisions that would leave refs/ as a path', () => {
    for (const bad of ['', 'a/b/c', '/name', 'org/', '.org/name', 'org/name.', 'org/na--me', 'org/na..me', 'org/name@', 'org/name@../x', 'org/name@/main', 'org/name@a//b', 'org/name@.hidden', 'org/name@a b', `org/${'x'.repeat(100)}`]) {
      assert.equal(parseHubId(bad), undefined, bad);
    }
  });
});
