import { sessionCandidates } from '../bench/deployment/session-candidates.js';
import { measureSessionRounds, type SessionUnit, type UnitRounds } from '../bench/deployment/session-rounds.js';
import { readCpuInfo } from '../bench/env.js';
import { openModelUnderTest, tokenIdLimit } from '../bench/model-under-test.js';
import type { TimingSettings } from '../bench/runtime-settings.js';
import type { RuntimeSettings } from '../bench/schema.js';
import type { TunedSession } from '../report/model/tuned-types.js';
import type { SessionSettings } from '../report/model/types.js';
import type { Progress } from '../util/progress.js';
import { chooseSession, tunedSession } from './session-tuning.js';
import type { TimedVariant } from './variant-record.js';

/** What compare --tune runs: the settings each device is tuned from, the two sets of rounds, and the grid's first point. */
export interface TunePlan {
  readonly timing: TimingSettings;
  readonly selectionRounds: number;
  readonly measurementRounds: number;
  readonly batchSize: number;
  readonly sequenceLength: number;
  readonly at: { readonly measuredAt: string; readonly loadAverage1m: number };
}

/** One variant on one Node device, and the settings tried there (the device's timed settings first). */
interface Tuning {
  readonly v: TimedVariant;
  readonly runtimes: readonly RuntimeSettings[];
}

const sessionOf = ({ intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode }: RuntimeSettings): SessionSettings =>
  ({ intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode });

function unitLabel(v: TimedVariant, r: RuntimeSettings): string {
  if (r.executionProvider === 'wasm') return `${v.id} on wasm, ${r.intraOpThreads} thread(s)`;
  const mode = r.executionMode === 'parallel' ? `parallel (${r.interOpThreads} inter-op)` : r.executionMode;
  return `${v.id} on ${r.executionProvider}, ${r.intraOpThreads} thread(s), graph ${r.graphOptimizationLevel}, ${mode}`;
}

/** Every (variant, Node device) the grid timed (a device lacking an operator of the variant has nothing to tune), device-major. */
function tuningsOf(variants: readonly TimedVariant[], timing: TimingSettings): Tuning[] {
  const cores = readCpuInfo().physicalCores;
  return timing.runtimes.flatMap((timed) => variants
    .filter((v) => v.latencyByDevice.some((d) => d.device === timed.executionProvider && d.state === 'timed'))
    .map((v) => ({ v, runtimes: sessionCandidates(timed, cores) })));
}

/**
 * compare --tune: every candidate setting of every (variant, Node device) is a unit of one balanced
 * schedule of selection rounds (rounds.ts: the order reversed between rounds); the choice is made on
 * those; then a second, separate schedule of measurement rounds times each chosen setting and its
 * default, and only those rounds give the figures (session-tuning.ts). Never cached.
 */
export async function tuneSessions(variants: readonly TimedVariant[], plan: TunePlan, progress: Progress): Promise<Map<TimedVariant, TunedSession[]>> {
  const tunings = tuningsOf(variants, plan.timing);
  const limits = new Map(tunings.map((t) => [t.v, tokenIdLimit(openModelUnderTest(t.v.files.modelFile))] as const));
  const unit = (t: Tuning, runtime: RuntimeSettings): SessionUnit => ({
    label: unitLabel(t.v, runtime), modelFile: t.v.files.modelFile, runtime, batchSize: plan.batchSize, sequenceLength: plan.sequenceLength,
    tokenIdLimit: limits.get(t.v) ?? 1,
  });
  const { warmupIterations, stop } = plan.timing;
  const units = tunings.flatMap((t) => t.runtimes.map((r) => unit(t, r)));
  progress.step(`tuning ${tunings.length} variant x device pair(s): ${units.length} setting(s) in ${plan.selectionRounds} selection round(s)`);
  const found = await measureSessionRounds(units, { warmupIterations, stop, rounds: plan.selectionRounds }, 'choosing a session', progress);
  const selection = splitBy(tunings, found);
  const choices = tunings.map((t, i) => chooseSession(t.runtimes.map(sessionOf), selection[i] ?? []));
  // The default (0) is measured again beside the chosen: the gain is read on the measurement rounds too.
  const wanted = tunings.flatMap((t, i) => {
    const c = choices[i];
    return c === undefined || 'error' in c ? [] : [...new Set([0, c.index])].map((k) => ({ i, k, unit: unit(t, t.runtimes[k] as RuntimeSettings) }));
  });
  progress.step(`measuring ${wanted.length} chosen and default setting(s) in ${plan.measurementRounds} further round(s)`);
  const measured = await measureSessionRounds(wanted.map((w) => w.unit), { warmupIterations, stop, rounds: plan.measurementRounds },
    'measuring the chosen session', progress);
  const measurement: Array<Array<UnitRounds | undefined>> = tunings.map((t) => t.runtimes.map(() => undefined));
  wanted.forEach((w, j) => {
    const row = measurement[w.i];
    if (row !== undefined) row[w.k] = measured[j];
  });
  const results = new Map<TimedVariant, TunedSession[]>();
  tunings.forEach((t, i) => {
    const device = t.runtimes[0]?.executionProvider ?? 'cpu';
    const tuned = tunedSession({ device, sessions: t.runtimes.map(sessionOf), selection: selection[i] ?? [], measurement: measurement[i] ?? [], at: plan.at });
    results.set(t.v, [...(results.get(t.v) ?? []), tuned]);
  });
  return results;
}

/** The flat list of every tuning's units' rounds, cut back into one list per tuning. */
function splitBy(tunings: readonly Tuning[], flat: readonly UnitRounds[]): UnitRounds[][] {
  let offset = 0;
  return tunings.map((t) => {
    const part = flat.slice(offset, offset + t.runtimes.length);
    offset += t.runtimes.length;
    return part;
  });
}
