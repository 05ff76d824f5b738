import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { tempDir } from '../helpers/paths.js';
import { entriesOf, killChildren, lockFiles, Pauses, startChild } from '../helpers/race.js';
import { secondWaitsAndHits, twoWritersOneEntry } from '../helpers/race-scenarios.js';

const PRODUCED = 'cache.produced.convert';
/** The rule, stated here rather than imported so this file also runs against code without locks: stale after 30 s without a refresh. */
const LOCK_STALE_MS = 30_000;

describe('two processes on one cache folder', () => {
  afterEach(killChildren);

  it('a second writer never moves or changes the first one\'s entry under a reader, and uses it', { timeout: 120_000 }, async () => {
    const root = tempDir();
    await twoWritersOneEntry({ location: root, root, env: {} }, 'race');
  });

  it('a second process waits for the first one\'s lock and finds its entry instead of computing it again', { timeout: 120_000 }, async () => {
    const root = tempDir();
    await secondWaitsAndHits({ location: root, root, env: {} }, 'wait');
  });

  it('a lock holder killed with SIGKILL does not hold up the next process', { timeout: 120_000 }, async () => {
    const root = tempDir();
    const pauses = new Pauses();
    const a = startChild([root, 'convert', 'killed', 'a'], pauses.env(PRODUCED));
    await pauses.reached(a, PRODUCED);
    assert.equal(lockFiles(root, 'convert').length, 1);
    a.kill('SIGKILL');
    await assert.rejects(a.result);
    const started = Date.now();
    const b = await startChild([root, 'convert', 'killed', 'b'], {}).result;
    assert.deepEqual([b.value, b.hit], ['b', false]);
    assert.ok(Date.now() - started < LOCK_STALE_MS + 1000, `took ${Date.now() - started} ms`);
  });

  it('a lock from another host is taken once it went 30 s without a refresh, not before', { timeout: 120_000 }, async () => {
    const root = tempDir();
    const pauses = new Pauses();
    const a = startChild([root, 'convert', 'elsewhere', 'a'], pauses.env(PRODUCED));
    await pauses.reached(a, PRODUCED);
    a.kill('SIGKILL');
    await assert.rejects(a.result);
    // The holder's pid means nothing on another host: only the refresh time can say it is gone. Last refreshed 20 s ago.
    const [lock = ''] = lockFiles(root, 'convert');
    fs.writeFileSync(lock, JSON.stringify({ host: 'another-machine', pid: 1, token: 'theirs' }));
    const refreshed = Date.now() - 20_000;
    fs.utimesSync(lock, new Date(refreshed), new Date(refreshed));
    const b = startChild([root, 'convert', 'elsewhere', 'b'], pauses.env('cache.waiting.convert'));
    await pauses.reached(b, 'cache.waiting.convert');
    pauses.go(b, 'cache.waiting.convert');
    const result = await b.result;
    const silentFor = Date.now() - refreshed;
    assert.deepEqual([result.value, result.hit, result.waits], ['b', false, 1]);
    assert.ok(silentFor >= LOCK_STALE_MS && silentFor < LOCK_STALE_MS + 10_000, `taken ${silentFor} ms after its last refresh`);
    assert.equal(entriesOf(root, 'convert').length, 1);
  });

  it('--no-cache beside a normal run: both finish, the first entry stands, the --no-cache run keeps its own result outside the entries', { timeout: 120_000 },
    async () => {
      const root = tempDir();
      const first = await startChild([root, 'convert', 'fresh', 'a'], {}).result;
      const fresh = await startChild([root, 'convert', 'fresh', 'b', 'no-cache'], {}).result;
      assert.deepEqual([fresh.value, fresh.hit], ['b', false]);
      assert.ok(!fresh.dir.startsWith(path.join(root, 'convert')), fresh.dir);
      assert.equal(fs.existsSync(fresh.dir), false, 'its scratch folder is removed when the process ends');
      assert.deepEqual(entriesOf(root, 'convert'), [first.dir]);
      assert.equal(fs.readFileSync(path.join(first.dir, 'data.bin')).subarray(0, 1).toString(), 'a');
    });
});
