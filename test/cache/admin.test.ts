import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { listEntries, pruneCache, verifyCache } from '../../src/cache/admin.js';
import { StepCache } from '../../src/cache/cache.js';
import { TEST_CODE_DIGEST_ENV } from '../../src/cache/code-digest.js';
import { tempDir } from '../helpers/paths.js';

const OTHER_CODE = 'e'.repeat(64);

/** Three entries (one made by other code, one damaged) and things prune must never touch. */
async function sampleCache(): Promise<{ root: string; good: string; damaged: string; old: string; foreign: string[] }> {
  const root = tempDir();
  const cache = new StepCache(root, { warn: () => undefined });
  const good = (await cache.store('convert', { m: 'good' }, (dir) => { fs.writeFileSync(path.join(dir, 'model.onnx'), 'x'.repeat(1000)); return 1; })).dir;
  const damaged = (await cache.store('eval', { m: 'damaged' }, () => ({ accuracy: 0.5 }))).dir;
  fs.truncateSync(path.join(damaged, 'result.json'), 3);
  process.env[TEST_CODE_DIGEST_ENV] = OTHER_CODE;
  const old = (await cache.store('bench', { m: 'old' }, () => ({ p50: 1 }))).dir;
  delete process.env[TEST_CODE_DIGEST_ENV];
  // Not entries: a user's file at the root, a folder not named by a key, a key-named folder with
  // no result or manifest, and a link to a folder outside the cache.
  const outside = tempDir();
  fs.writeFileSync(path.join(outside, 'keep.txt'), 'keep');
  const foreign = [path.join(root, 'notes.txt'), path.join(root, 'eval', 'my-folder'), path.join(root, 'eval', 'a'.repeat(64)), path.join(root, 'convert', 'b'.repeat(64))];
  fs.writeFileSync(foreign[0] as string, 'mine');
  fs.mkdirSync(foreign[1] as string);
  fs.mkdirSync(foreign[2] as string);
  fs.symlinkSync(outside, foreign[3] as string);
  return { root, good, damaged, old, foreign: [...foreign, path.join(outside, 'keep.txt')] };
}

describe('albench cache list, verify, prune', () => {
  afterEach(() => {
    delete process.env[TEST_CODE_DIGEST_ENV];
  });

  it('list gives each entry albench made with its step, size, age and code, and nothing else', async () => {
    const { root, good, damaged, old } = await sampleCache();
    const entries = listEntries(root);
    assert.deepEqual(entries.map((e) => [e.step, e.dir, e.currentCode]), [['bench', old, false], ['convert', good, true], ['eval', damaged, true]]);
    const convert = entries.find((e) => e.step === 'convert');
    assert.ok(convert && convert.bytes > 1000 && Date.now() - convert.createdAt.getTime() < 60_000);
    assert.deepEqual(listEntries(path.join(root, 'nowhere')), []);
  });

  it('verify checks every entry and names the damaged ones', async () => {
    const { root, damaged } = await sampleCache();
    const result = verifyCache(root);
    assert.equal(result.checked, 3);
    assert.deepEqual(result.damaged.map((d) => [d.entry.dir, d.problem]), [[damaged, 'result.json has 3 bytes, 16 when stored']]);
  });

  it('prune moves damaged entries and those of other code to the trash, then with --older-than old ones; never anything else', async () => {
    const { root, good, damaged, old, foreign } = await sampleCache();
    // Entries are marked used when stored; unusedForMinutes: 0 lets these fresh ones go (the next test keeps used ones).
    const { pruned } = pruneCache(root, { unusedForMinutes: 0 });
    assert.deepEqual(pruned.map((p) => [p.entry.dir, p.reason]), [[old, 'made by other albench code'], [damaged, 'damaged: result.json has 3 bytes, 16 when stored']]);
    assert.deepEqual([fs.existsSync(good), fs.existsSync(damaged), fs.existsSync(old)], [true, false, false]);
    assert.deepEqual(pruneCache(root, { olderThanDays: 1, unusedForMinutes: 0 }).pruned, [], 'the good entry is minutes old');
    const later = new Date(Date.now() + 3 * 86_400_000);
    assert.deepEqual(pruneCache(root, { olderThanDays: 2, now: later }).pruned.map((p) => p.entry.dir), [good]);
    assert.ok(foreign.every((p) => fs.existsSync(p)), 'files and folders that are not entries stay');
    assert.equal(verifyCache(root).checked, 0);
  });

  it('prune spares entries a run used lately or holds the lock of, and empties only trash older than --unused-for', async () => {
    const { root, damaged, old } = await sampleCache();
    const oldKey = path.basename(old);
    // A live holder's lock, refreshed (its time) as the clock prune is given reads.
    const lock = path.join(root, '.locks', 'bench', `${oldKey}.lock`);
    const inAnHour = new Date(Date.now() + 61 * 60_000);
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, JSON.stringify({ host: os.hostname(), pid: process.pid, token: 't' }));
    fs.utimesSync(lock, inAnHour, inAnHour);
    // Just stored, so just used: within the default 60 minutes, and within 2.
    assert.deepEqual(pruneCache(root).pruned, []);
    assert.deepEqual(pruneCache(root, { unusedForMinutes: 2 }).pruned, []);
    const moved = pruneCache(root, { now: inAnHour });
    assert.deepEqual(moved.pruned.map((p) => p.entry.dir), [damaged], 'the locked entry stays');
    assert.equal(moved.freedBytes, 0, 'what was just moved to the trash is not deleted yet: a run may still be reading it');
    const trash = path.join(root, '.trash');
    assert.equal(fs.readdirSync(trash).length, 1);
    assert.deepEqual([listEntries(root).length, verifyCache(root).checked], [2, 2], 'list and verify pass over the trash');
    fs.rmSync(lock);
    const twoHours = new Date(Date.now() + 122 * 60_000);
    const second = pruneCache(root, { now: twoHours });
    assert.deepEqual(second.pruned.map((p) => p.entry.dir), [old]);
    assert.ok(second.freedBytes > 0);
    assert.equal(fs.readdirSync(trash).length, 1, 'the damaged entry is deleted, the old one waits its turn');
  });
});
