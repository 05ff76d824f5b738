import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from './paths.js';
import { shardAndMerge, TIMING_AND_MACHINE_FIELDS, withoutTimingAndMachine, type ShardRun } from './shard-run.js';

/**
 * The shard-and-merge tests for one cache location: test/compare/shard-merge.test.ts runs them on a
 * local folder; a shared cache (an S3 prefix on a local server) runs the same with its own `cacheOf`.
 */
/** Three shards at once on one machine and one cache, merged: the whole compare's report, apart from timing and machine. */
export function shardMergeTests(cacheOf: (work: string) => string, label: string): void {
  describe(`compare --shard k/3 at once, then merge (${label})`, () => {
    const work = tempDir('albench-shard-merge-');
    after(() => fs.rmSync(work, { recursive: true, force: true }));
    let result: ShardRun | undefined;
    const ran = async (): Promise<ShardRun> => (result ??= await shardAndMerge(cacheOf(work), work));

    it('writes a partial report per shard, each its slice of the pairs, marked partial', async () => {
      const { shards } = await ran();
      assert.deepEqual(shards.map((s) => s.variants.map((v) => v.id)), [
        ['bert/fp32', 'bert/fp32-optimized'], ['bert/int8-dynamic', 'albert/fp32'], ['albert/fp32-optimized', 'albert/int8-dynamic'],
      ]);
      const models = shards.map((s) => s.models.map((m) => m.id));
      assert.deepEqual(models, [['bert'], ['bert', 'albert'], ['albert']], 'a shard converts only the models its slice needs');
      for (const [k, s] of shards.entries()) {
        assert.equal(s.shard?.index, k);
        assert.equal(s.shard?.count, 3);
        assert.deepEqual(s.shard?.models, ['bert', 'albert']);
        assert.match(s.recommendation.reason, new RegExp(`^Partial report \\(shard ${k}/3, 0-based\\)`));
      }
    });

    it(`equals the single-machine report in every field but ${TIMING_AND_MACHINE_FIELDS.join(', ')}`, async () => {
      const { merged, single } = await ran();
      assert.deepEqual(withoutTimingAndMachine(merged), withoutTimingAndMachine(single));
      assert.equal(merged.variants.length, 6);
      assert.ok(merged.variants.every((v) => v.state === 'completed'));
    });

    it('marks the shards as run at once on one machine and does not compare their latencies', async () => {
      const { merged } = await ran();
      const m = merged.matrix;
      assert.ok(m);
      assert.equal(m.environments.length, 1);
      assert.equal(new Set(m.parts.map((p) => p.window?.machine)).size, 1);
      assert.equal(m.latencyNotComparable.length, 1);
      assert.match(m.latencyNotComparable[0]?.reason ?? '', /shard 0\/3, shard 1\/3, shard 2\/3 ran at the same time on one machine/);
      assert.match(merged.recommendation.reason, /^Judged on accuracy and size only: latency is not comparable here/);
      const faster = merged.claims.find((c) => c.id === 'faster-inference');
      assert.equal(faster?.verdict, 'not comparable');
      assert.match(fs.readFileSync(path.join(work, 'merged', 'report.md'), 'utf8'), /\*\*Latency caveats\*\*/);
    });
  });
}
