import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzTarget } from './run-fuzz.js';
import { FUZZ_TARGETS } from './targets.js';

/** A short run of every fuzz target; `npm run fuzz` runs many thousands per target. */
describe('fuzz (short run): parsers only ever throw typed errors', () => {
  for (const target of FUZZ_TARGETS) {
    it(target.name, () => {
      const r = fuzzTarget(target, 1000, 1);
      assert.deepEqual(r.crashes, [], JSON.stringify(r.crashes.slice(0, 3)));
      assert.ok(r.refused > 0, 'mutations were refused at least sometimes');
    });
  }
});
