import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { codeDigest, TEST_CODE_DIGEST_ENV } from '../../src/cache/code-digest.js';
import { tempDir } from '../helpers/paths.js';

/** A step that writes one file and returns its length, counting how often it really ran. */
function step(content: string) {
  const runs = { count: 0 };
  const produce = (dir: string): number => {
    runs.count++;
    fs.writeFileSync(path.join(dir, 'data.bin'), content);
    return content.length;
  };
  return { runs, produce };
}

function quietCache(root: string, reuse = true): StepCache {
  return new StepCache(root, { reuse, warn: () => undefined });
}

describe('the step cache', () => {
  afterEach(() => {
    delete process.env[TEST_CODE_DIGEST_ENV];
  });

  it('the code digest is a sha256, the same on every call in a process', () => {
    assert.match(codeDigest(), /^[0-9a-f]{64}$/);
    assert.equal(codeDigest(), codeDigest());
  });

  it('a second lookup with the same key and code is a hit; other code is a miss that recomputes', async () => {
    const root = tempDir();
    const s = step('abc');
    const first = await quietCache(root).get('convert', { input: 1 }, s.produce);
    assert.equal(first.hit, false);
    const again = await quietCache(root).get('convert', { input: 1 }, s.produce);
    assert.deepEqual([again.hit, again.value, s.runs.count], [true, 3, 1]);
    // Stands for an edit of albench's code (the digest of dist/ changes): the same inputs must miss.
    process.env[TEST_CODE_DIGEST_ENV] = 'f'.repeat(64);
    const edited = await quietCache(root).get('convert', { input: 1 }, s.produce);
    assert.deepEqual([edited.hit, s.runs.count], [false, 2]);
    assert.notEqual(edited.dir, first.dir);
  });

  it('a truncated file is a miss that is rebuilt, with a warning naming step, key and folder', async () => {
    const root = tempDir();
    const s = step('0123456789');
    const stored = await quietCache(root).get('variant', { v: 'x' }, s.produce);
    fs.truncateSync(path.join(stored.dir, 'data.bin'), 4);
    const warnings: string[] = [];
    const cache = new StepCache(root, { warn: (line) => warnings.push(line) });
    const again = await cache.get('variant', { v: 'x' }, s.produce);
    assert.deepEqual([again.hit, s.runs.count, cache.misses], [false, 2, ['variant']]);
    const key = path.basename(stored.dir);
    assert.deepEqual(warnings, [`warning: cache entry variant ${key} (${stored.dir}) is damaged: data.bin has 4 bytes, 10 when stored; rebuilding it`]);
    assert.equal(fs.readFileSync(path.join(again.dir, 'data.bin'), 'utf8'), '0123456789');
    assert.equal((await quietCache(root).lookup('variant', { v: 'x' }))?.hit, true, 'the rebuilt entry is whole again');
  });

  it('same-size damage is found by the sha256; a broken result.json is rebuilt naming the entry', async () => {
    const root = tempDir();
    const s = step('0123456789');
    const stored = await quietCache(root).get('eval', { e: 1 }, s.produce);
    fs.writeFileSync(path.join(stored.dir, 'data.bin'), '012345678X');
    const cache = quietCache(root);
    assert.equal((await cache.lookup('eval', { e: 1 })), null);
    assert.match(cache.warnings[0] ?? '', /^warning: cache entry eval [0-9a-f]{64} \(.*\) is damaged: data\.bin does not match its sha256/);
    await cache.store('eval', { e: 1 }, s.produce);
    fs.writeFileSync(path.join(stored.dir, 'result.json'), 'garbage');
    const third = quietCache(root);
    assert.equal((await third.lookup('eval', { e: 1 })), null);
    assert.equal(third.warnings[0], `warning: cache entry eval ${path.basename(stored.dir)} (${stored.dir}) is damaged: result.json has 7 bytes, 2 when stored; rebuilding it`);
  });

  it('an unparseable result.json under a valid manifest is named as such', async () => {
    const root = tempDir();
    const stored = await quietCache(root).store('bench', { b: 1 }, () => ({ p50: 1 }));
    const manifestFile = path.join(stored.dir, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: Array<{ path: string; bytes: number; sha256: string }> };
    fs.writeFileSync(path.join(stored.dir, 'result.json'), '{"p50":');
    const crypto = await import('node:crypto');
    const entry = manifest.files.find((f) => f.path === 'result.json');
    assert.ok(entry);
    entry.bytes = 7;
    entry.sha256 = crypto.createHash('sha256').update('{"p50":').digest('hex');
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const cache = quietCache(root);
    assert.equal((await cache.lookup('bench', { b: 1 })), null);
    assert.match(cache.warnings[0] ?? '', /is damaged: result\.json is not valid JSON \(it ends early; is it truncated\?\); rebuilding it$/);
  });

  it('reuse: false (--no-cache) recomputes every step for its run, outside the entries, and publishes only where no valid entry stands', async () => {
    const root = tempDir();
    const stored = await quietCache(root).get('convert', { input: 1 }, step('abc').produce);
    const other = step('xyz!');
    const fresh = await quietCache(root, false).get('convert', { input: 1 }, other.produce);
    assert.deepEqual([fresh.hit, fresh.value, other.runs.count], [false, 4, 1], 'recomputed, and its own result used');
    assert.ok(!fresh.dir.startsWith(path.join(root, 'convert')), `${fresh.dir} is outside the entries`);
    assert.equal(fs.readFileSync(path.join(fresh.dir, 'data.bin'), 'utf8'), 'xyz!');
    const kept = await quietCache(root).lookup<number>('convert', { input: 1 });
    assert.deepEqual([kept?.hit, kept?.value, kept?.dir], [true, 3, stored.dir], 'the valid entry stands, unchanged');
    assert.equal(fs.readFileSync(path.join(stored.dir, 'data.bin'), 'utf8'), 'abc');
    const firstHere = await quietCache(root, false).get('convert', { input: 2 }, step('new').produce);
    assert.equal(firstHere.dir, path.join(root, 'convert', path.basename(firstHere.dir)), 'where no entry stood, the result became the entry');
    assert.equal((await quietCache(root).lookup('convert', { input: 2 }))?.hit, true);
  });
});
