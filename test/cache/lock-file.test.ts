import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, it } from 'node:test';
import { isStale, LOCK_STALE_MS } from '../../src/cache/lock-file.js';

describe('cache lock files', () => {
  it('a lock is stale when its process is gone from this host or it went 30 s without a refresh', () => {
    const now = Date.now();
    const mine = JSON.stringify({ host: os.hostname(), pid: process.pid, token: 't' });
    const gone = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    const dead = JSON.stringify({ host: os.hostname(), pid: gone, token: 't' });
    const remote = JSON.stringify({ host: 'another-machine', pid: gone, token: 't' });
    assert.equal(isStale({ text: mine, mtimeMs: now - 10_000 }, now), false, 'a live holder refreshing');
    assert.equal(isStale({ text: mine, mtimeMs: now - LOCK_STALE_MS - 1 }, now), true, 'a live holder that stopped refreshing');
    assert.equal(isStale({ text: dead, mtimeMs: now }, now), true, 'a holder gone from this host');
    assert.equal(isStale({ text: remote, mtimeMs: now - 10_000 }, now), false, 'another host\'s pid says nothing here');
    assert.equal(isStale({ text: '', mtimeMs: now }, now), false, 'a lock being written');
  });
});
