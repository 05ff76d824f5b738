import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundOrder, runSchedule, summarizeRounds } from '../../src/bench/rounds.js';
import { median } from '../../src/util/stats.js';
import { COMPARE_DEFAULTS } from '../../src/compare/compare-options.js';
import type { LatencyStats, Measurement } from '../../src/bench/schema.js';

function measurement(p50Ms: number, samples: number): Measurement {
  const latency: LatencyStats = {
    p50Ms, p90Ms: p50Ms + 1, p99Ms: p50Ms + 2, meanMs: p50Ms + 0.5, stdevMs: 0.1, minMs: p50Ms - 1, maxMs: p50Ms + 3,
    relativeMarginOfErrorPercent: 1, samples,
  };
  const memory = {
    source: 'proc-status', rssBeforeLoadBytes: 1, peakRssAfterLoadBytes: samples, peakRssAfterRunsBytes: samples, rssAfterRunsBytes: 1,
    gpuBytes: null, gpuSource: null,
  } as const;
  return { loadMs: samples, latency, memory };
}

describe('timing rounds', () => {
  it('roundOrder alternates direction: A B C, C B A, A B C, C B A', () => {
    assert.deepEqual(roundOrder(3, 4), [[0, 1, 2], [2, 1, 0], [0, 1, 2], [2, 1, 0]]);
    assert.deepEqual(roundOrder(1, 3), [[0], [0], [0]]);
  });

  it('runSchedule: round after round, grid-major, the model order reversed between rounds and at every other point', () => {
    const slot = (round: number, point: number, model: number) => ({ round, point, model });
    assert.deepEqual(runSchedule(2, 2, 2), [
      slot(0, 0, 0), slot(0, 0, 1), slot(0, 1, 1), slot(0, 1, 0),
      slot(1, 0, 1), slot(1, 0, 0), slot(1, 1, 0), slot(1, 1, 1),
    ]);
    // One grid point, as compare's default: exactly roundOrder's rounds one after the other.
    assert.deepEqual(runSchedule(3, 1, 3).map((s) => s.model), roundOrder(3, 3).flat());
    // Every model runs at every point once per round, and first as often as last.
    const schedule = runSchedule(3, 2, 4);
    assert.equal(schedule.length, 3 * 2 * 4);
    for (let m = 0; m < 3; m++) for (let p = 0; p < 2; p++) assert.equal(schedule.filter((s) => s.model === m && s.point === p).length, 4);
  });

  it('compare\'s default schedule is drift-free: under a linear drift every variant gets the same p50, and every pair runs in each order equally often', () => {
    const rounds = COMPARE_DEFAULTS.rounds;
    for (let models = 1; models <= 12; models++) {
      for (let points = 1; points <= 4; points++) {
        const schedule = runSchedule(models, points, rounds);
        const where = `${models} variants, ${points} grid points, ${rounds} rounds`;
        // A machine that slows steadily: each child's p50 is its slot in the run.
        for (let p = 0; p < points; p++) {
          const reported = Array.from({ length: models }, (_, m) => {
            const slots = schedule.flatMap((s, slot) => (s.model === m && s.point === p ? [slot] : []));
            return summarizeRounds(slots.map((slot) => measurement(slot, 1))).measurement.latency.p50Ms;
          });
          assert.equal(new Set(reported).size, 1, `${where}, point ${p}: ${reported.join(', ')}`);
        }
        for (let a = 0; a < models; a++) {
          for (let b = a + 1; b < models; b++) {
            const blocks = schedule.filter((s) => s.model === a || s.model === b);
            let aFirst = 0;
            for (let i = 0; i < blocks.length; i += 2) if (blocks[i]?.model === a) aFirst++;
            assert.equal(aFirst * 2, blocks.length / 2, `${where}: ${a} before ${b} in ${aFirst} of ${blocks.length / 2} runs`);
          }
        }
      }
    }
  });

  it('median: the middle value, or the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  it('summarizeRounds: p50 is the median of the rounds, spread is highest minus lowest, the rest is the median round\'s', () => {
    const s = summarizeRounds([measurement(1.4, 10), measurement(1.1, 20), measurement(1.25, 30)]);
    assert.deepEqual(s.roundP50sMs, [1.4, 1.1, 1.25]);
    assert.equal(s.measurement.latency.p50Ms, 1.25);
    assert.ok(Math.abs(s.spreadMs - 0.3) < 1e-12);
    assert.deepEqual([s.measurement.latency.samples, s.measurement.latency.p90Ms, s.measurement.loadMs], [30, 2.25, 30]);
    const even = summarizeRounds([measurement(2, 1), measurement(1, 2), measurement(4, 3), measurement(3, 4)]);
    assert.equal(even.measurement.latency.p50Ms, 2.5);
    assert.equal(even.measurement.latency.samples, 1, 'the lower of the two middle rounds');
    assert.equal(even.spreadMs, 3);
    assert.equal(summarizeRounds([measurement(5, 1)]).spreadMs, 0);
  });
});
