import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelUnderTest } from '../../src/bench/model-under-test.js';
import { combineRounds } from '../../src/browser/combine-rounds.js';
import type { PageReply } from '../../src/browser/protocol.js';

const model: ModelUnderTest = { label: 'm', modelFile: '/m.onnx', modelBytesOnDisk: 3, config: null, task: null, params: null };
const stats = (p50Ms: number) => ({ p50Ms, p90Ms: p50Ms + 1, p99Ms: p50Ms + 2, meanMs: p50Ms, stdevMs: 0.1, minMs: 0.5, maxMs: p50Ms + 3,
  relativeMarginOfErrorPercent: 1, samples: 10 });
const measured = (loadMs: number, ...p50s: number[]): PageReply => ({
  state: 'measured', loadMs, wasmThreads: 2, points: p50s.map((p50, i) => ({ batchSize: 1, sequenceLength: 8 * (i + 1), state: 'completed', latency: stats(p50) })),
});

describe('combineRounds: a browser model\'s rounds reduced as bench reduces them', () => {
  it('p50 is the median of the rounds\' p50s, the spread their range, the other figures the median round\'s', () => {
    const r = combineRounds(model, [measured(30, 4, 40), measured(10, 2, 20), measured(20, 3, 90)]);
    assert.equal(r.state, 'measured');
    if (r.state !== 'measured') return;
    assert.equal(r.loadMs, 20);
    const [a, b] = r.points;
    assert.deepEqual(a?.state === 'completed' && [a.latency.p50Ms, a.latency.p99Ms, a.roundP50sMs, a.spreadMs, a.flops], [3, 5, [4, 2, 3], 2, null]);
    assert.deepEqual(b?.state === 'completed' && [b.latency.p50Ms, b.roundP50sMs, b.spreadMs], [40, [40, 20, 90], 70]);
  });

  it('a point failed in any round failed; a round that did not load ends the model with its reason', () => {
    const broken: PageReply = { state: 'measured', loadMs: 1, wasmThreads: 2, points: [{ batchSize: 1, sequenceLength: 8, state: 'failed', error: 'oom' }] };
    const r = combineRounds(model, [measured(1, 4), broken]);
    assert.deepEqual(r.state === 'measured' && r.points[0], { batchSize: 1, sequenceLength: 8, state: 'failed', error: 'oom' });
    assert.deepEqual(combineRounds(model, [measured(1, 4), { state: 'failed', error: 'no kernel' }]),
      { label: 'm', modelFile: '/m.onnx', modelBytesOnDisk: 3, state: 'failed', error: 'no kernel' });
    assert.equal(combineRounds(model, [{ state: 'unavailable', reason: 'no adapter' }]).state, 'unavailable');
  });
});
