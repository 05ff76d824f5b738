import type { DeviceName, SessionSettings } from './environment.js';

/**
 * compare --tune: per variant and Node device, the session settings that run it fastest, chosen on one
 * set of rounds and measured on another, so the tuned figure is not the lucky draw it was chosen for.
 */

/** How the tuning was run. */
export interface TuneRun {
  /** Rounds every candidate setting was timed in to choose (each its own process, the order reversed between rounds). */
  readonly selectionRounds: number;
  /** Further rounds, after the choice, of the chosen and the default settings: the figures reported come from these only. */
  readonly measurementRounds: number;
  /** The grid's first point: where every candidate is timed. */
  readonly batchSize: number;
  readonly sequenceLength: number;
}

/** A set of rounds reduced as the grid's are (rounds.ts): p50 the median of the rounds' p50s, p99, mean and rme the median round's own. */
export interface RoundsFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly rmePercent: number;
  /** Each round's p50, in round order. */
  readonly roundP50sMs: readonly number[];
  /** Highest minus lowest of roundP50sMs. */
  readonly spreadMs: number;
}

/** One setting tried, with its figures over the selection rounds (and nothing else). */
export type SessionCandidate =
  | ({ readonly session: SessionSettings; readonly state: 'measured' } & RoundsFigures)
  | { readonly session: SessionSettings; readonly state: 'failed'; readonly error: string };

/**
 * How the choice went, on the selection rounds: `fastest` (the lowest p50, beyond noise of the default's);
 * `default-within-noise` (the lowest p50 was within noise of the default's, so the default is kept);
 * `default-fastest` (the default had the lowest p50).
 */
export type TuneChoice = 'fastest' | 'default-within-noise' | 'default-fastest';

/** The chosen settings against the default, both over the measurement rounds. */
export interface TuneGain {
  readonly defaultMeasured: RoundsFigures;
  /** The default's p50 minus the chosen's: above 0 when the chosen is faster. */
  readonly gainMs: number;
  /** gainMs as a percentage of the default's p50. */
  readonly gainPercent: number;
  /** What a difference must exceed to count (noise.ts: the larger spread, or both margins of error combined). */
  readonly noiseMs: number;
  /** `faster` or `slower` beyond noiseMs; `tie` within it. */
  readonly verdict: 'faster' | 'tie' | 'slower';
}

export type TunedSession =
  | {
      readonly device: DeviceName;
      readonly state: 'measured';
      /** Every setting tried, the default (compare's own settings) first. */
      readonly candidates: readonly SessionCandidate[];
      readonly chosen: SessionSettings;
      readonly choice: TuneChoice;
      /** The chosen settings over the measurement rounds: the figure to expect. */
      readonly measured: RoundsFigures;
      /** null when the default was chosen: there is nothing to gain over itself. */
      readonly versusDefault: TuneGain | null;
      readonly measuredAt: string;
      readonly loadAverage1m: number;
    }
  | { readonly device: DeviceName; readonly state: 'failed'; readonly error: string };
