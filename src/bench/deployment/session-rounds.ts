import type { Progress } from '../../util/progress.js';
import type { ChildJob } from '../child-protocol.js';
import { runSchedule } from '../rounds.js';
import { runChild } from '../run-child.js';
import type { Measurement, RuntimeSettings, StopRule } from '../schema.js';

/** One model under one session setting at one grid point: a unit of compare --tune's rounds. */
export interface SessionUnit {
  readonly label: string;
  readonly modelFile: string;
  readonly runtime: RuntimeSettings;
  readonly batchSize: number;
  readonly sequenceLength: number;
  /** Token ids are drawn below this, as bench draws them. */
  readonly tokenIdLimit: number;
}

export interface SessionRoundsSettings {
  readonly warmupIterations: number;
  readonly stop: StopRule;
  readonly rounds: number;
}

/** A unit's raw rounds, in round order, or the first round's error (a unit that fails once is not run again: it would only fail alike). */
export type UnitRounds = { readonly rounds: readonly Measurement[] } | { readonly error: string };

/**
 * Times every unit `rounds` times, each (unit, round) in a fresh child process running bench's own
 * timing loop, in runSchedule's order: the units reversed between rounds, so drift lands on all alike.
 * The rounds come back raw: the caller decides what each set of rounds is used for.
 */
export async function measureSessionRounds(units: readonly SessionUnit[], s: SessionRoundsSettings, what: string, progress: Progress)
  : Promise<UnitRounds[]> {
  const rounds: Measurement[][] = units.map(() => []);
  const errors: Array<string | undefined> = units.map(() => undefined);
  const schedule = runSchedule(units.length, 1, s.rounds);
  for (const [i, slot] of schedule.entries()) {
    const u = units[slot.model] as SessionUnit;
    if (errors[slot.model] !== undefined) continue;
    progress.step(`[${i + 1}/${schedule.length}] ${what}, round ${slot.round + 1}/${s.rounds}: ${u.label}`);
    const job: Extract<ChildJob, { job: 'measure' }> = {
      job: 'measure', modelFile: u.modelFile, runtime: u.runtime, batchSize: u.batchSize, sequenceLength: u.sequenceLength,
      tokenIdLimit: u.tokenIdLimit, warmupIterations: s.warmupIterations, stop: s.stop,
    };
    const reply = await runChild(job);
    if (reply.ok) rounds[slot.model]?.push(reply.measurement);
    else errors[slot.model] = `round ${slot.round + 1}: ${reply.message}`;
  }
  return units.map((_, i) => {
    const error = errors[i];
    return error === undefined ? { rounds: rounds[i] ?? [] } : { error };
  });
}
