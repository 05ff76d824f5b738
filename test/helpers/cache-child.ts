/**
 * A process using the step cache as compare does, for tests that race two of them on one cache
 * folder or mirror: `node cache-child.js <location> <step> <key> <token> [no-cache]` gets the step
 * (whose produce writes data.bin, 100 kB of the token, and returns the token) and prints one JSON
 * line: the value, folder and hit it got, and the cache's waits and lost races.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StepCache } from '../../src/cache/cache.js';

export interface ChildResult {
  readonly value: string;
  readonly dir: string;
  readonly hit: boolean;
  readonly waits?: number;
  readonly lostRaces?: number;
}

export const CHILD_DATA_BYTES = 100_000;

const [location = '', step = '', key = '', token = '', mode = ''] = process.argv.slice(2);
const cache = await StepCache.open(location, { reuse: mode !== 'no-cache', warn: (line) => process.stderr.write(`${line}\n`) });
const got = await cache.get(step, { test: key }, (dir) => {
  fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(CHILD_DATA_BYTES, token));
  return token;
});
const counts = cache as unknown as { waits?: number; lostRaces?: number };
const result: ChildResult = { value: got.value, dir: got.dir, hit: got.hit, waits: counts.waits, lostRaces: counts.lostRaces } as ChildResult;
process.stdout.write(`${JSON.stringify(result)}\n`);
