import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LatencyStats } from '../../src/bench/schema.js';
import { chooseSession, tunedSession, type CandidateRounds } from '../../src/compare/session-tuning.js';
import type { SessionSettings } from '../../src/report/model/types.js';

/** Synthetic rounds, nothing run: each number is a round's p50 in ms, with a 1% margin of error. */
const stats = (p50Ms: number): LatencyStats => ({
  p50Ms, p90Ms: p50Ms * 1.1, p99Ms: p50Ms * 1.3, meanMs: p50Ms, stdevMs: p50Ms / 50, minMs: p50Ms * 0.9, maxMs: p50Ms * 1.4,
  relativeMarginOfErrorPercent: 1, samples: 30,
});
const rounds = (...p50s: number[]): CandidateRounds => ({ rounds: p50s.map((p) => ({ latency: stats(p) })) });

const session = (intraOpThreads: number, graphOptimizationLevel: 'basic' | 'all', executionMode: 'sequential' | 'parallel'): SessionSettings => ({
  intraOpThreads, interOpThreads: executionMode === 'parallel' ? 2 : 1, graphOptimizationLevel, executionMode,
});
const DEFAULT = session(2, 'all', 'sequential');
const A = session(1, 'all', 'sequential');
const B = session(2, 'basic', 'parallel');
const SESSIONS = [DEFAULT, A, B];
const at = { measuredAt: '2026-01-01T00:00:00.000Z', loadAverage1m: 0.5 };

/** Every number a value holds, at any depth. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('compare --tune: choosing on one set of rounds, reporting from another', () => {
  // The selection rounds favour A clearly; the measurement rounds would favour B. Every figure is distinct, so its source shows.
  const selection = [rounds(10.01, 10.23), rounds(6.07, 6.19), rounds(9.03, 9.11)];
  const measurement = [rounds(10.51, 10.77), rounds(8.33, 8.47), rounds(5.03, 5.17)];

  it('chooses from the selection rounds only, and reports the chosen and its gain from the measurement rounds only', () => {
    const t = tunedSession({ device: 'cpu', sessions: SESSIONS, selection, measurement, at });
    assert.ok(t.state === 'measured', JSON.stringify(t));
    assert.deepEqual([t.chosen, t.choice], [A, 'fastest'], 'A was fastest when choosing, though B is fastest in the measurement rounds');
    assert.deepEqual(t.measured.roundP50sMs, [8.33, 8.47], "the tuned figure is A's measurement rounds");
    assert.equal(t.measured.p50Ms, 8.4);
    assert.deepEqual(t.versusDefault?.defaultMeasured.roundP50sMs, [10.51, 10.77], "the default is compared on its measurement rounds");
    assert.ok(Math.abs((t.versusDefault?.gainMs ?? 0) - (10.64 - 8.4)) < 1e-9);
    assert.equal(t.versusDefault?.verdict, 'faster');
    assert.deepEqual(t.candidates.map((c) => (c.state === 'measured' ? c.roundP50sMs : [])), [[10.01, 10.23], [6.07, 6.19], [9.03, 9.11]],
      'each candidate shows its selection rounds');
  });

  it('no measurement-round figure reaches the choice: the same selection rounds choose alike whatever the measurement rounds say', () => {
    const t = tunedSession({ device: 'cpu', sessions: SESSIONS, selection, measurement, at });
    assert.ok(t.state === 'measured');
    const choice = chooseSession(SESSIONS, selection);
    assert.ok(!('error' in choice));
    assert.deepEqual(t.candidates, choice.candidates, 'the choice shown is the one made on the selection rounds alone');
    // The 1% margin and the 30 samples are the same in every synthetic round; every other figure is the round's own.
    const own = (value: unknown) => new Set(numbersIn(value).filter((n) => n !== 1 && n !== 30));
    const measuredNumbers = own(measurement);
    const candidateFigures = t.candidates.map(({ session: _settings, ...figures }) => figures);
    assert.deepEqual(numbersIn(candidateFigures).filter((n) => measuredNumbers.has(n)), [], 'no measurement-round sample in the choice');
    const selectedNumbers = own(selection);
    assert.deepEqual(numbersIn([t.measured, t.versusDefault]).filter((n) => selectedNumbers.has(n)), [], 'no selection-round sample in the figures');
    const reversed = [rounds(5.03, 5.17), rounds(12.9, 13.1), rounds(4.01, 4.02)];
    const other = tunedSession({ device: 'cpu', sessions: SESSIONS, selection, measurement: reversed, at });
    assert.ok(other.state === 'measured');
    assert.deepEqual([other.chosen, other.choice], [A, 'fastest']);
    assert.equal(other.versusDefault?.verdict, 'slower', 'a choice that does not hold in fresh rounds is reported as it measured');
  });

  it('reads only the chosen and the default in the measurement rounds: the others need not be run', () => {
    const t = tunedSession({ device: 'cpu', sessions: SESSIONS, selection, measurement: [measurement[0], measurement[1], undefined], at });
    assert.ok(t.state === 'measured' && t.measured.p50Ms === 8.4);
  });
});

describe('compare --tune: the noise rule decides between the best and the default', () => {
  it('keeps the default when the best is within noise of it in the selection rounds, and reports the default from the measurement rounds', () => {
    // The default's rounds spread 0.6 ms; A is 0.45 ms faster: within noise.
    const selection = [rounds(10.0, 10.6), rounds(9.8, 9.9), rounds(12.0, 12.1)];
    const t = tunedSession({ device: 'cpu', sessions: SESSIONS, selection, measurement: [rounds(10.4, 10.5), rounds(7, 7.1), undefined], at });
    assert.ok(t.state === 'measured', JSON.stringify(t));
    assert.deepEqual([t.chosen, t.choice, t.versusDefault], [DEFAULT, 'default-within-noise', null]);
    assert.deepEqual(t.measured.roundP50sMs, [10.4, 10.5]);
  });

  it('keeps the default when it was the fastest, and says a gain within noise of the default is a tie', () => {
    const fastest = tunedSession({ device: 'cpu', sessions: SESSIONS, selection: [rounds(5, 5.01), rounds(6, 6.01), rounds(7, 7.01)],
      measurement: [rounds(5.2, 5.3)], at });
    assert.ok(fastest.state === 'measured');
    assert.deepEqual([fastest.chosen, fastest.choice], [DEFAULT, 'default-fastest']);
    const tie = tunedSession({ device: 'cpu', sessions: SESSIONS, selection: [rounds(10, 10.1), rounds(6, 6.1), rounds(9, 9.1)],
      measurement: [rounds(8.0, 8.4), rounds(7.9, 8.2)], at });
    assert.ok(tie.state === 'measured' && tie.versusDefault !== null);
    assert.equal(tie.choice, 'fastest');
    assert.equal(tie.versusDefault.verdict, 'tie', JSON.stringify(tie.versusDefault));
    assert.ok(Math.abs(tie.versusDefault.gainMs) <= tie.versusDefault.noiseMs);
  });

  it('never chooses a setting that failed; fails when the default or the chosen could not be timed', () => {
    const t = tunedSession({ device: 'wasm', sessions: SESSIONS, selection: [rounds(10, 10.1), { error: 'round 1: parallel refused' }, rounds(6, 6.1)],
      measurement: [rounds(10, 10.1), undefined, rounds(6, 6.1)], at });
    assert.ok(t.state === 'measured' && t.chosen === B);
    assert.deepEqual(t.candidates[1], { session: A, state: 'failed', error: 'round 1: parallel refused' });
    const noDefault = tunedSession({ device: 'cpu', sessions: SESSIONS, selection: [{ error: 'round 1: out of memory' }], measurement: [], at });
    assert.deepEqual(noDefault, { device: 'cpu', state: 'failed', error: 'the default settings could not be timed: round 1: out of memory' });
    const lost = tunedSession({ device: 'cpu', sessions: SESSIONS, selection: [rounds(10, 10.1), rounds(6, 6.1)], measurement: [rounds(10, 10.1), { error: 'round 2: killed' }], at });
    assert.deepEqual(lost, { device: 'cpu', state: 'failed', error: 'the chosen settings failed in the measurement rounds: round 2: killed' });
  });
});
