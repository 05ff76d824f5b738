import { summarizeRounds } from '../bench/rounds.js';
import { median } from '../util/stats.js';
import { flopsAtP50, type ModelUnderTest } from '../bench/model-under-test.js';
import type { PagePoint, PageReply } from './protocol.js';
import type { BrowserModelResult, BrowserPoint } from './schema.js';

type Completed = Extract<PagePoint, { state: 'completed' }>;

/** One grid point over the rounds; a failure in any round is the point's result, since its figures would not be comparable. */
function combinePoint(m: ModelUnderTest, rounds: readonly PagePoint[]): BrowserPoint {
  const failed = rounds.find((p) => p.state === 'failed');
  const first = rounds[0];
  if (first === undefined) throw new Error('combinePoint needs at least one round');
  const { batchSize, sequenceLength } = first;
  if (failed?.state === 'failed') return { batchSize, sequenceLength, state: 'failed', error: failed.error };
  const { measurement: { latency }, roundP50sMs, spreadMs } = summarizeRounds(rounds as readonly Completed[]);
  return { batchSize, sequenceLength, state: 'completed', latency, roundP50sMs, spreadMs, ...flopsAtP50(m, first, latency.p50Ms) };
}

/**
 * One model's replies, round by round, reduced to its result. A backend the browser lacks, or a
 * model it cannot load, ends the model in the round that finds it: later rounds would find the same.
 */
export function combineRounds(m: ModelUnderTest, replies: readonly PageReply[]): BrowserModelResult {
  const head = { label: m.label, modelFile: m.modelFile, modelBytesOnDisk: m.modelBytesOnDisk };
  const ended = replies.find((r): r is Exclude<PageReply, { state: 'measured' }> => r.state !== 'measured');
  if (ended !== undefined) return { ...head, ...ended };
  const measured = replies.filter((r): r is Extract<PageReply, { state: 'measured' }> => r.state === 'measured');
  const first = measured[0];
  if (first === undefined) throw new Error('combineRounds needs at least one round');
  return {
    ...head, state: 'measured', loadMs: median(measured.map((r) => r.loadMs)), wasmThreads: first.wasmThreads,
    points: first.points.map((_, i) => combinePoint(m, measured.map((r) => r.points[i] as PagePoint))),
  };
}
