import { summarizeRounds } from '../bench/rounds.js';
import type { LatencyStats } from '../bench/schema.js';
import type { DeviceName, SessionSettings } from '../report/model/types.js';
import type { RoundsFigures, SessionCandidate, TuneChoice, TuneGain, TunedSession } from '../report/model/tuned-types.js';
import { beyondNoise, noiseMs } from '../report/verdicts/noise.js';

/**
 * compare --tune's verdict, from raw rounds only (no process is run here): the setting is chosen on the
 * selection rounds, and its figures, and its gain over the default, come from the measurement rounds,
 * which the choice never saw. Choosing the fastest of several settings and reporting the rounds it was
 * chosen on would report its luckiest draw; fresh rounds do not favour it.
 */

/** A candidate's rounds as session-rounds.ts returns them; only each round's latency is read. */
export type CandidateRounds = { readonly rounds: ReadonlyArray<{ readonly latency: LatencyStats }> } | { readonly error: string };

/** The rounds reduced as the grid's are: p50 the median of the rounds' p50s, the rest the median round's own. */
export function roundsFigures(rounds: ReadonlyArray<{ readonly latency: LatencyStats }>): RoundsFigures {
  const { measurement, roundP50sMs, spreadMs } = summarizeRounds(rounds);
  const { p50Ms, p99Ms, meanMs, relativeMarginOfErrorPercent } = measurement.latency;
  return { p50Ms, p99Ms, meanMs, rmePercent: relativeMarginOfErrorPercent, roundP50sMs: [...roundP50sMs], spreadMs };
}

/** The figures of a candidate's rounds, or why there are none. */
function figuresOf(found: CandidateRounds | undefined): RoundsFigures | { readonly error: string } {
  if (found === undefined) return { error: 'not measured' };
  if ('error' in found) return { error: found.error };
  return found.rounds.length === 0 ? { error: 'no round completed' } : roundsFigures(found.rounds);
}

function candidateOf(session: SessionSettings, found: CandidateRounds | undefined): SessionCandidate {
  const figures = figuresOf(found);
  return 'error' in figures ? { session, state: 'failed', error: figures.error } : { session, state: 'measured', ...figures };
}

export interface SessionChoice {
  /** Index into the candidates (0: the default). */
  readonly index: number;
  readonly choice: TuneChoice;
  /** Every candidate with its selection-round figures. */
  readonly candidates: readonly SessionCandidate[];
}

/**
 * The setting with the lowest p50 over the selection rounds, unless it is within noise of the
 * default's (noise.ts, the report's rule): then the default is kept, as a difference the rounds cannot
 * tell from noise is no reason to change a setting. Candidate 0 is the default; an error when it failed
 * (there is nothing to tune against). A candidate that failed is shown with its error and never chosen.
 */
export function chooseSession(sessions: readonly SessionSettings[], selection: readonly CandidateRounds[]): SessionChoice | { readonly error: string } {
  const candidates = sessions.map((s, i) => candidateOf(s, selection[i]));
  const byDefault = candidates[0];
  if (byDefault?.state !== 'measured') {
    return { error: `the default settings could not be timed: ${byDefault?.state === 'failed' ? byDefault.error : 'none given'}` };
  }
  let best = 0;
  candidates.forEach((c, i) => {
    const current = candidates[best];
    if (c.state === 'measured' && current?.state === 'measured' && c.p50Ms < current.p50Ms) best = i;
  });
  const fastest = candidates[best];
  if (best === 0 || fastest?.state !== 'measured') return { index: 0, choice: 'default-fastest', candidates };
  return beyondNoise(byDefault, fastest) ? { index: best, choice: 'fastest', candidates } : { index: 0, choice: 'default-within-noise', candidates };
}

/** The chosen against the default on the measurement rounds, by the same noise rule. */
function gainOver(byDefault: RoundsFigures, chosen: RoundsFigures): TuneGain {
  const gainMs = byDefault.p50Ms - chosen.p50Ms;
  const noise = noiseMs(byDefault, chosen);
  return {
    defaultMeasured: byDefault, gainMs, gainPercent: byDefault.p50Ms > 0 ? (gainMs / byDefault.p50Ms) * 100 : 0, noiseMs: noise,
    verdict: Math.abs(gainMs) <= noise ? 'tie' : gainMs > 0 ? 'faster' : 'slower',
  };
}

export interface TuningRounds {
  readonly device: DeviceName;
  /** The settings tried, the default first. */
  readonly sessions: readonly SessionSettings[];
  /** Per setting, the rounds the choice is made on. */
  readonly selection: readonly CandidateRounds[];
  /** Per setting, the separate rounds the figures come from: only the chosen's and the default's are read (others may be absent). */
  readonly measurement: ReadonlyArray<CandidateRounds | undefined>;
  readonly at: { readonly measuredAt: string; readonly loadAverage1m: number };
}

/** One variant's tuned session on one device: chosen on the selection rounds, reported from the measurement rounds. */
export function tunedSession(r: TuningRounds): TunedSession {
  const { device } = r;
  const choice = chooseSession(r.sessions, r.selection);
  if ('error' in choice) return { device, state: 'failed', error: choice.error };
  const measured = figuresOf(r.measurement[choice.index]);
  if ('error' in measured) return { device, state: 'failed', error: `the chosen settings failed in the measurement rounds: ${measured.error}` };
  let versusDefault: TuneGain | null = null;
  if (choice.index !== 0) {
    const byDefault = figuresOf(r.measurement[0]);
    if ('error' in byDefault) return { device, state: 'failed', error: `the default settings failed in the measurement rounds: ${byDefault.error}` };
    versusDefault = gainOver(byDefault, measured);
  }
  const chosen = r.sessions[choice.index] as SessionSettings;
  return { device, state: 'measured', candidates: choice.candidates, chosen, choice: choice.choice, measured, versusDefault, ...r.at };
}
