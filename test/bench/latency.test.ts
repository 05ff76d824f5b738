import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureLatency, medianIsPrecise } from '../../src/bench/latency.js';

/** A run that busy-waits `ms` (the timer of setTimeout is too coarse for millisecond runs). */
const busy = (ms: number) => async () => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('measureLatency', () => {
  it('medianIsPrecise: within ±1% when the order statistics around the median are; not when they spread', () => {
    const steady = Array.from({ length: 100 }, (_, i) => 10 + (i % 10) * 0.001);
    assert.equal(medianIsPrecise(steady, { medianWithinPercent: 1, maxTimeMs: 0 }), true);
    const spread = Array.from({ length: 100 }, (_, i) => 10 + i * 0.1);
    assert.equal(medianIsPrecise(spread, { medianWithinPercent: 1, maxTimeMs: 0 }), false, 'the 40th..60th values span ±1 ms around 15 ms');
  });

  it('with a precision rule, stops a steady run once its p50 is known, long before the cap', async () => {
    let calls = 0;
    const run = busy(1);
    const started = performance.now();
    const l = await measureLatency(async () => {
      calls++;
      await run();
    }, 3, { minIterations: 30, minTimeMs: 0, precision: { medianWithinPercent: 5, maxTimeMs: 5000 } });
    assert.ok(performance.now() - started < 2500, 'stopped well before the 5 s cap');
    assert.ok(l.samples >= 30, 'at least minIterations');
    assert.equal(calls, l.samples + 3, 'warm-up calls are not samples');
    assert.ok(Math.abs(l.p50Ms - 1) < 0.2, `p50 ${l.p50Ms}`);
  });

  it('with a precision rule, runs a run whose median never settles until its time cap', async () => {
    let i = 0;
    const started = performance.now();
    // Alternating 0.5 ms and 2 ms: the median sits in a gap no sample fills, so its interval never narrows.
    const l = await measureLatency(() => busy(i++ % 2 === 0 ? 0.5 : 2)(), 0, {
      minIterations: 10, minTimeMs: 0, precision: { medianWithinPercent: 1, maxTimeMs: 300 },
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 300, `stopped after ${elapsed.toFixed(0)} ms, before the cap`);
    assert.ok(l.meanMs * l.samples >= 300 - 1e-6, 'the cap counts timed runs, as tinybench counts time');
  });

  it('without a precision rule, keeps tinybench\'s rule: at least minIterations and minTimeMs', async () => {
    const l = await measureLatency(busy(1), 0, { minIterations: 5, minTimeMs: 100 });
    assert.ok(l.samples >= 5 && l.meanMs * l.samples >= 100 - 1e-6, `${l.samples} samples, mean ${l.meanMs} ms`);
  });
});
