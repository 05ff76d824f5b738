import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { HubError } from '../../src/errors.js';
import { hubSettings } from '../../src/hub/settings.js';
import { resolveModel } from '../../src/hub/resolve-model.js';
import { FakeHub } from '../helpers/fake-hub.js';
import { setHubEnv } from '../helpers/hub-env.js';
import { allRepos, PRIVATE, TINY, TOKEN } from '../helpers/hub-repos.js';
import { tempDir } from '../helpers/paths.js';

const SECRET = 's3cret-pass';

describe('hub secrets: credentials never reach a message or a record', () => {
  let hub: FakeHub;
  let restoreEnv: () => void;
  const withCredentials = () => hub.url.replace('http://', `http://alice:${SECRET}@`);
  before(async () => {
    hub = await FakeHub.start(allRepos());
  });
  after(() => hub.close());
  beforeEach(() => {
    restoreEnv = setHubEnv({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: tempDir('albench-hub-cache-') });
  });
  afterEach(() => restoreEnv());

  it('HF_ENDPOINT with user:pass: the cache fallback warning and the error are redacted', async () => {
    await resolveModel(TINY);
    process.env['HF_ENDPOINT'] = withCredentials();
    const warnings: string[] = [];
    await resolveModel(TINY, { warn: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1, 'fell back to the cache with a warning');
    assert.doesNotMatch(warnings[0] ?? '', new RegExp(`${SECRET}|alice`));
    assert.match(warnings[0] ?? '', /http:\/\/\*\*\*@127\.0\.0\.1/);

    process.env['HF_HUB_CACHE'] = tempDir('albench-hub-cache-');
    const e = await resolveModel(TINY).then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof HubError, String(e));
    for (const text of [e.message, e.detail, JSON.stringify({ message: e.message })]) assert.doesNotMatch(text, new RegExp(`${SECRET}|alice`));
  });

  it('an HF_ENDPOINT that is not http(s) is refused without echoing its credentials', () => {
    process.env['HF_ENDPOINT'] = `ftp://bob:${SECRET}@mirror.local/`;
    assert.throws(() => hubSettings(), (e: Error) => !e.message.includes(SECRET) && e.message.includes('ftp://***@mirror.local'));
  });

  it('HF_TOKEN goes to the hub but not across a redirect to another origin (the LFS CDN)', async () => {
    const cdn = await FakeHub.start(allRepos());
    hub.lfsOrigin = cdn.url;
    try {
      process.env['HF_TOKEN'] = TOKEN;
      await resolveModel(PRIVATE);
      assert.ok(hub.requests.some((r) => r.authorization === `Bearer ${TOKEN}`), 'the hub got the token');
      assert.ok(cdn.requests.length > 0, 'the weights came from the other origin');
      assert.deepEqual(cdn.requests.map((r) => r.authorization), cdn.requests.map(() => undefined), 'the CDN never saw the token');
    } finally {
      hub.lfsOrigin = undefined;
      await cdn.close();
    }
  });
});
