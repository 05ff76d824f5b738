import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { entriesOf, keepReading, lockFiles, Pauses, startChild } from './race.js';

/**
 * The races of two real processes on one cache folder (or one S3 mirror), each run the same way on
 * either: `location` is what the processes are given, `root` the local folder their entries are in,
 * `env` what they need to reach it.
 */
export interface RaceCache {
  readonly location: string;
  readonly root: string;
  readonly env: Readonly<Record<string, string>>;
}

const PRODUCED = 'cache.produced.convert';
const PUBLISHED = 'cache.published.convert';

/**
 * A holds the key's lock while it computes; the lock is then lost (taken for stale while its holder
 * still runs: a holder frozen for 30 s, a clock jump), so B computes too. A publishes first; while a
 * reader keeps reading A's entry, B publishes: the entry must stay A's folder with A's bytes, every
 * read must succeed, and B must use A's entry and result.
 */
export async function twoWritersOneEntry(cache: RaceCache, key: string): Promise<void> {
  const pauses = new Pauses();
  const a = startChild([cache.location, 'convert', key, 'a'], { ...cache.env, ...pauses.env(PRODUCED, PUBLISHED) });
  await pauses.reached(a, PRODUCED);
  for (const lock of lockFiles(cache.root, 'convert')) fs.rmSync(lock);
  const b = startChild([cache.location, 'convert', key, 'b'], { ...cache.env, ...pauses.env(PRODUCED) });
  await pauses.reached(b, PRODUCED);
  pauses.go(a, PRODUCED);
  await pauses.reached(a, PUBLISHED);
  const [entry, ...more] = entriesOf(cache.root, 'convert');
  assert.ok(entry !== undefined && more.length === 0, 'A published one entry');
  const reader = keepReading(entry);
  pauses.go(b, PRODUCED);
  const second = await b.result;
  const seen = await reader.stop();
  pauses.go(a, PUBLISHED);
  const first = await a.result;
  assert.deepEqual(seen.problems, [], 'the entry never changed and never went away under its reader');
  assert.ok(seen.reads > 0);
  assert.deepEqual([first.value, first.hit, first.dir], ['a', false, entry]);
  assert.deepEqual([second.value, second.hit, second.dir, second.lostRaces], ['a', false, entry, 1], 'the loser uses the winner\'s entry and result');
  assert.deepEqual(fs.readFileSync(path.join(entry, 'data.bin')).subarray(0, 4).toString(), 'aaaa');
  assert.deepEqual(entriesOf(cache.root, 'convert'), [entry]);
  assert.deepEqual(fs.readdirSync(path.join(cache.root, 'convert')).filter((f) => f.startsWith('.')), [], 'the loser left no temporary');
}

/** A computes while holding the lock; B, started meanwhile, waits for it and then finds A's entry instead of computing it again. */
export async function secondWaitsAndHits(cache: RaceCache, key: string): Promise<void> {
  const pauses = new Pauses();
  const a = startChild([cache.location, 'convert', key, 'a'], { ...cache.env, ...pauses.env(PRODUCED) });
  await pauses.reached(a, PRODUCED);
  const b = startChild([cache.location, 'convert', key, 'b'], { ...cache.env, ...pauses.env('cache.waiting.convert') });
  await pauses.reached(b, 'cache.waiting.convert');
  pauses.go(b, 'cache.waiting.convert');
  assert.deepEqual(entriesOf(cache.root, 'convert'), [], 'nothing published while A computes');
  pauses.go(a, PRODUCED);
  const [first, second] = await Promise.all([a.result, b.result]);
  assert.deepEqual([first.value, first.hit], ['a', false]);
  assert.deepEqual([second.value, second.hit, second.dir, second.waits], ['a', true, first.dir, 1]);
  assert.deepEqual(lockFiles(cache.root, 'convert'), [], 'both released the lock');
}
