import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { tempDir } from '../helpers/paths.js';
import { entriesOf, keepReading, killChildren, Pauses, startChild } from '../helpers/race.js';
import { secondWaitsAndHits, twoWritersOneEntry, type RaceCache } from '../helpers/race-scenarios.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

describe('two processes on one S3 cache', () => {
  let server: S3TestServer;
  before(async () => {
    server = await startS3Server();
  });
  after(async () => {
    await server.stop();
  });
  afterEach(killChildren);
  /** One machine's view of s3://<bucket>/<prefix>: a mirror folder, and the folder its entries are in. */
  const machine = (prefix: string): RaceCache => {
    const mirror = tempDir('albench-mirror-');
    return { location: `s3://${server.bucket}/${prefix}`, root: path.join(mirror, server.bucket, prefix), env: { ...server.env, ALBENCH_S3_MIRROR: mirror } };
  };
  const freshRead = async (prefix: string): Promise<string> => {
    const saved = { ...process.env };
    Object.assign(process.env, machine(prefix).env);
    try {
      const hit = await new StepCache(`s3://${server.bucket}/${prefix}`, { warn: (line) => assert.fail(line) }).lookup<string>('convert', { test: 'k' });
      assert.ok(hit !== null, 'the entry is in S3');
      return hit.value;
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  };

  it('on one mirror, a second writer never moves the first one\'s entry under a reader, and uses it; S3 keeps the first', { timeout: 120_000 },
    async () => {
      await twoWritersOneEntry(machine('one-mirror'), 'k');
      assert.equal(await freshRead('one-mirror'), 'a');
    });

  it('on one mirror, a second process waits for the first one\'s lock and finds its entry', { timeout: 120_000 }, async () => {
    await secondWaitsAndHits(machine('wait'), 'k');
  });

  it('on one mirror, a second download of an entry never replaces the first under a reader, and uses it', { timeout: 120_000 }, async () => {
    const writer = machine('download');
    assert.equal((await startChild([writer.location, 'convert', 'k', 'w'], writer.env).result).value, 'w');
    const readers = machine('download');
    const pauses = new Pauses();
    const a = startChild([readers.location, 'convert', 'k', 'a'], { ...readers.env, ...pauses.env('s3.downloaded.convert') });
    await pauses.reached(a, 's3.downloaded.convert');
    // A look-up takes no lock (only computing does), so B downloads the same entry meanwhile and places it first.
    const b = await startChild([readers.location, 'convert', 'k', 'b'], readers.env).result;
    assert.deepEqual([b.value, b.hit], ['w', true]);
    const reader = keepReading(b.dir);
    pauses.go(a, 's3.downloaded.convert');
    const first = await a.result;
    const seen = await reader.stop();
    assert.deepEqual(seen.problems, []);
    assert.deepEqual([first.value, first.hit, first.dir], ['w', true, b.dir]);
    assert.deepEqual(entriesOf(readers.root, 'convert'), [b.dir]);
  });

  it('on two machines (two mirrors), the first manifest wins: the later writer uses the winner\'s entry on its own machine', { timeout: 120_000 },
    async () => {
      const [ma, mb] = [machine('two-machines'), machine('two-machines')];
      const pauses = new Pauses();
      // A has uploaded its files and not yet its manifest when B stores the whole entry.
      const a = startChild([ma.location, 'convert', 'k', 'a'], { ...ma.env, ...pauses.env('s3.uploaded.convert') });
      await pauses.reached(a, 's3.uploaded.convert');
      const b = await startChild([mb.location, 'convert', 'k', 'b'], mb.env).result;
      assert.deepEqual([b.value, b.hit], ['b', false]);
      pauses.go(a, 's3.uploaded.convert');
      const first = await a.result;
      assert.deepEqual([first.value, first.hit, first.lostRaces], ['b', false, 1]);
      assert.equal(fs.readFileSync(path.join(first.dir, 'data.bin')).subarray(0, 1).toString(), 'b', 'A\'s mirror holds the winner\'s entry');
      assert.equal(await freshRead('two-machines'), 'b', 'and so does S3');
    });
});
