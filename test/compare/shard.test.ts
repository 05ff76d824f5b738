import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShard, shardPairs, variantsOf } from '../../src/compare/shard.js';
import { UsageError } from '../../src/errors.js';
import type { VariantName } from '../../src/report/model/types.js';

const VARIANTS: VariantName[] = ['fp32', 'fp32-optimized', 'int8-dynamic'];

describe('compare --shard K/N', () => {
  it('reads K/N with a 0-based K, as Kubernetes JOB_COMPLETION_INDEX gives it', () => {
    assert.deepEqual(parseShard('0/3'), { index: 0, count: 3 });
    assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
    for (const bad of ['3/3', '1/0', '-1/3', '1', 'a/b', '1/3/4', '']) {
      assert.throws(() => parseShard(bad), (e: unknown) => e instanceof UsageError && /0 <= K < N/.test(e.message), bad);
    }
  });

  it('covers every (model, variant) pair exactly once across K, in slices whose sizes differ by at most one', () => {
    for (let models = 1; models <= 5; models++) {
      for (let count = 1; count <= 8; count++) {
        const slices = Array.from({ length: count }, (_, index) => shardPairs(models, VARIANTS, { index, count }));
        const all = slices.flat().map((p) => `${p.modelIndex}/${p.variant}`);
        const expected = Array.from({ length: models }, (_, m) => VARIANTS.map((v) => `${m}/${v}`)).flat();
        assert.deepEqual(all, expected, `${models} models, ${count} shards: every pair once, in order`);
        const sizes = slices.map((s) => s.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${models} models, ${count} shards: sizes ${sizes.join(', ')}`);
      }
    }
  });

  it('is deterministic: the same arguments give the same slice every time', () => {
    const a = shardPairs(4, VARIANTS, { index: 1, count: 5 });
    const b = shardPairs(4, [...VARIANTS], { index: 1, count: 5 });
    assert.deepEqual(a, b);
  });

  it('keeps a model whose variants are all elsewhere out of the shard (it is not converted there)', () => {
    // 2 models x 3 variants in 3 shards: [bert fp32, bert opt] [bert int8, albert fp32] [albert opt, albert int8].
    assert.deepEqual(variantsOf(0, 2, VARIANTS, { index: 0, count: 3 }), ['fp32', 'fp32-optimized']);
    assert.deepEqual(variantsOf(1, 2, VARIANTS, { index: 0, count: 3 }), []);
    assert.deepEqual(variantsOf(0, 2, VARIANTS, { index: 1, count: 3 }), ['int8-dynamic']);
    assert.deepEqual(variantsOf(1, 2, VARIANTS, { index: 1, count: 3 }), ['fp32']);
    assert.deepEqual(variantsOf(1, 2, VARIANTS, undefined), VARIANTS);
  });
});
