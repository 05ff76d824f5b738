import { ms } from '../../util/format.js';
import type { SessionCandidate, TunedSession, TuneRun } from '../model/tuned-types.js';
import { gridLabel } from '../model/units.js';
import type { CompletedVariant, DeviceName, SessionSettings } from '../model/types.js';
import { NONE, type Section } from './deployment-blocks.js';

/** compare --tune per variant and device: the chosen session settings, how they were chosen, and what they gained over the default. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "1 thread, graph basic, parallel (2 inter-op threads)"; on wasm only the threads, the one setting tried there. */
export function sessionText(device: DeviceName, s: SessionSettings): string {
  const threads = plural(s.intraOpThreads, 'thread');
  if (device === 'wasm') return threads;
  const mode = s.executionMode === 'parallel' ? `parallel (${plural(s.interOpThreads, 'inter-op thread')})` : 'sequential';
  return `${threads}, graph ${s.graphOptimizationLevel}, ${mode}`;
}

function fastestCandidate(candidates: readonly SessionCandidate[]): Extract<SessionCandidate, { state: 'measured' }> | undefined {
  const measured = candidates.filter((c): c is Extract<SessionCandidate, { state: 'measured' }> => c.state === 'measured');
  return measured.reduce<(typeof measured)[number] | undefined>((best, c) => (best === undefined || c.p50Ms < best.p50Ms ? c : best), undefined);
}

function howChosen(t: Extract<TunedSession, { state: 'measured' }>): string {
  const tried = t.candidates.length;
  switch (t.choice) {
    case 'fastest':
      return `the fastest of ${tried}, beyond noise of the default`;
    case 'default-fastest':
      return `default kept: the fastest of ${tried}`;
    case 'default-within-noise': {
      const best = fastestCandidate(t.candidates);
      return `default kept: the fastest of ${tried}${best === undefined ? '' : ` (${sessionText(t.device, best.session)})`} was within noise of it`;
    }
  }
}

function gainText(t: Extract<TunedSession, { state: 'measured' }>): string {
  const g = t.versusDefault;
  if (g === null) return `${NONE} (the default)`;
  const by = `${ms(Math.abs(g.gainMs))} ms (${Math.abs(g.gainPercent).toFixed(1)}%)`;
  const noise = `noise ${ms(g.noiseMs)} ms`;
  if (g.verdict === 'tie') return `tie: ${by} ${g.gainMs >= 0 ? 'faster' : 'slower'}, within ${noise}`;
  return g.verdict === 'faster' ? `${by} faster, beyond ${noise}` : `${by} slower, beyond ${noise}: the choice did not hold in fresh rounds`;
}

function row(v: CompletedVariant, t: TunedSession): string[] {
  if (t.state === 'failed') return [v.id, t.device, `failed: ${t.error}`, NONE, NONE, NONE, NONE];
  const byDefault = t.versusDefault === null ? t.measured : t.versusDefault.defaultMeasured;
  const tunedCell = `${ms(t.measured.p50Ms)} / ${ms(t.measured.p99Ms)}`;
  return [v.id, t.device, sessionText(t.device, t.chosen), howChosen(t), tunedCell, ms(byDefault.p50Ms), gainText(t)];
}

/** The tuned and the default p50 columns. */
const NUMERIC = [false, false, false, false, true, true, false];

export function tunedSection(variants: readonly CompletedVariant[], run: TuneRun): Section | undefined {
  const tuned = variants.flatMap((v) => (v.deployment?.tuned ?? []).map((t) => ({ v, t })));
  if (tuned.length === 0) return undefined;
  const header = ['variant', 'device', 'chosen settings', 'how chosen', 'tuned p50 / p99 (ms, measurement rounds)', 'default p50 (ms, measurement rounds)',
    'gain over the default'];
  const text = `Per variant and device, the session settings that ran it fastest at ${gridLabel(run)}: on cpu and cuda intra-op threads`
    + ' {1, one per physical core} × graph optimisation {basic, all} × execution mode {sequential, parallel}, on wasm the threads. Every'
    + ` setting was timed in ${plural(run.selectionRounds, 'selection round')} (each in its own process, the order reversed between rounds)`
    + ' and the fastest chosen, unless it was within noise of the default (the settings the grid was timed with), which is then kept.'
    + ` The figures come from a separate set of ${plural(run.measurementRounds, 'measurement round')} of the chosen and the default settings,`
    + ' run after the choice and never used for it, so the tuned figure is not its luckiest draw. A difference within noise (the larger'
    + ' spread between rounds, or both margins of error combined) is a tie.';
  return {
    title: 'Tuned sessions',
    blocks: [
      { kind: 'text', text },
      { kind: 'table', table: { header, rows: tuned.map(({ v, t }) => row(v, t)), numeric: NUMERIC } },
    ],
  };
}
