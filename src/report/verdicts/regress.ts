import { UsageError } from '../../errors.js';
import { pairModels, setupDifferences, type DifferenceKind } from './comparable.js';
import { headlineMetric, samePoint } from '../model/figures.js';
import { beyondNoise, noiseMs } from './noise.js';
import { mb, ms, points, relativeChangePercent, signed } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import { differingText, pairedDifference } from './paired.js';
import { rankSumGreater } from './stats.js';
import {
  REPORT_SCHEMA_VERSION, type CompletedVariant, type LatencyPoint, type Report, type RowValues, type Settings, type VariantResult,
} from '../model/types.js';
import { marginCheck } from './margin.js';

export interface RegressThresholds {
  /** Largest allowed drop of the headline metric (the task's score), in points (x100). */
  readonly maxAccuracyDropPoints: number;
  /** Largest allowed p50 increase at any grid point, in percent; only increases the rank test of the round p50s finds count. */
  readonly maxLatencyIncreasePercent: number;
  readonly maxSizeIncreasePercent: number;
  /**
   * `--margin`: the accuracy check becomes a non-inferiority test (margin.ts) instead of the point
   * rule of maxAccuracyDropPoints: the drop's 95% paired interval must lie below this many points.
   */
  readonly accuracyMarginPoints?: number;
}

export const DEFAULT_THRESHOLDS: RegressThresholds = { maxAccuracyDropPoints: 1, maxLatencyIncreasePercent: 10, maxSizeIncreasePercent: 5 };

export type CheckName = 'completed' | 'accuracy' | 'latency' | 'size';
export const CHECK_NAMES: readonly CheckName[] = ['completed', 'accuracy', 'latency', 'size'];

export interface RegressCheck {
  readonly variantId: string;
  readonly check: CheckName;
  /** 'inconclusive' (accuracy under --margin only): the data cannot tell a pass from a fail. */
  readonly status: 'pass' | 'fail' | 'skip' | 'inconclusive';
  /** The figures behind the status, one line. */
  readonly detail: string;
  /** 'inconclusive' only: about how many more rows would decide it (Infinity: none would; absent: no paired interval, a version-1 report). */
  readonly moreRows?: number;
}

export interface RegressResult {
  readonly thresholds: RegressThresholds;
  /** Every variant of the baseline, each with all four checks, in baseline order. */
  readonly checks: readonly RegressCheck[];
  /** Variants only the current report has: nothing to compare them with. */
  readonly newVariantIds: readonly string[];
  /** Differences of setup that make a comparison less meaningful (other CPU, accepted differences, a version-1 report). */
  readonly warnings: readonly string[];
}

export interface RegressOptions {
  /** Differences of what was measured to compare across anyway; any other difference is refused. */
  readonly accept?: readonly DifferenceKind[];
}

/** What regress says when a report predates per-example predictions; it still gates on the thresholds. */
export const NEEDS_VERSION_2 = 'paired statistics (McNemar test, paired bootstrap) need report schema version 2 on both sides:'
  + ' accuracy was compared on the figures alone, without saying whether a change is significant; regenerate the older report with this albench';

export function hasRegression(result: RegressResult): boolean {
  return result.checks.some((c) => c.status === 'fail');
}

/** `albench regress`'s exit status: 1 for any FAIL (latency and size included), else 3 for any INCONCLUSIVE, else 0. */
export function regressExitCode(result: RegressResult): 0 | 1 | 3 {
  if (hasRegression(result)) return 1;
  return result.checks.some((c) => c.status === 'inconclusive') ? 3 : 0;
}

interface Context {
  readonly thresholds: RegressThresholds;
  readonly sameTask: boolean;
  /** The current report's gold values, for the paired test of baseline against current predictions. */
  readonly gold: RowValues | undefined;
  readonly currentVariants: readonly string[];
  /** The current report's settings: where more rows could come from under --margin. */
  readonly settings: Settings;
}

/**
 * Compares two reports variant by variant: a variant the baseline had must still be there and
 * complete, and must not lose more accuracy, gain more latency or grow more than the thresholds
 * allow. Models are matched by source (comparable.ts), not label. Reports that measured different
 * things (task, rows, grid, variants, models) are refused with a UsageError naming the differences,
 * unless `options.accept` names them. Latency has to rise by a one-sided rank test of the two runs'
 * round p50s, and an accuracy drop says whether the paired test finds it significant.
 */
export function regress(baseline: Report, current: Report, thresholds: RegressThresholds, options: RegressOptions = {}): RegressResult {
  const differences = setupDifferences(baseline, current);
  const accepted = new Set(options.accept ?? []);
  const refused = differences.filter((d) => !accepted.has(d.kind));
  if (refused.length > 0) {
    const kinds = [...new Set(refused.map((d) => d.kind))].join(',');
    throw new UsageError(`the reports are not comparable: ${refused.map((d) => d.text).join('; ')}; pass --accept ${kinds} to compare them anyway`);
  }
  if (!baseline.variants.some((v) => v.state === 'completed')) {
    throw new UsageError('the baseline report has no completed variant, so there is nothing to compare against; regenerate it with albench compare');
  }
  const { pairing } = pairModels(baseline, current);
  const byId = new Map(current.variants.map((v) => [v.id, v]));
  const context: Context = {
    thresholds, sameTask: baseline.settings.task === current.settings.task, gold: current.gold, currentVariants: current.settings.variants,
    settings: current.settings,
  };
  const matched = new Set<string>();
  const checks = baseline.variants.flatMap((b) => {
    const model = pairing.get(b.model);
    const cur = model === undefined ? undefined : byId.get(`${model}/${b.variant}`);
    if (cur !== undefined) matched.add(cur.id);
    return variantChecks(b, cur, context, model === undefined);
  });
  const versionNote = Math.min(baseline.schemaVersion, current.schemaVersion) < REPORT_SCHEMA_VERSION
    ? [`A version-1 report: ${NEEDS_VERSION_2}.`] : [];
  return {
    thresholds,
    checks,
    newVariantIds: current.variants.filter((v) => !matched.has(v.id)).map((v) => v.id),
    warnings: [...versionNote, ...differences.map((d) => `Compared across an accepted difference of ${d.text}.`), ...setupWarnings(baseline, current)],
  };
}

function variantChecks(base: VariantResult, cur: VariantResult | undefined, context: Context, modelGone: boolean): RegressCheck[] {
  const id = base.id;
  const t = context.thresholds;
  const all = (status: RegressCheck['status'], completed: string, others: string): RegressCheck[] =>
    CHECK_NAMES.map((check) => ({ variantId: id, check, status: check === 'completed' ? status : 'skip', detail: check === 'completed' ? completed : others }));
  if (modelGone) return all('skip', 'its model is not in the current report (an accepted difference)', 'model not compared');
  if (cur === undefined && !context.currentVariants.includes(base.variant)) {
    return all('skip', 'not requested in the current run (an accepted difference)', 'variant not compared');
  }
  if (cur === undefined) return all('fail', 'missing from the current report', 'missing from the current report');
  if (cur.state === 'failed') {
    if (base.state === 'failed') return all('skip', `failed in both runs (now ${cur.error.code}: ${cur.error.message})`, 'failed in both runs');
    return all('fail', `newly failed: ${cur.error.code}: ${cur.error.message}`, 'failed in the current run');
  }
  if (base.state === 'failed') return all('pass', 'completes now (failed in the baseline)', 'no baseline figures (failed in the baseline)');
  return [
    { variantId: id, check: 'completed', status: 'pass', detail: 'completed in both runs' },
    accuracyCheck(base, cur, context),
    latencyCheck(base, cur, t),
    sizeCheck(base, cur, t),
  ];
}

/** A drop beyond the threshold fails (under --margin, its interval decides); the detail says whether the paired test finds the change significant. */
function accuracyCheck(base: CompletedVariant, cur: CompletedVariant, context: Context): RegressCheck {
  const result = (status: RegressCheck['status'], detail: string): RegressCheck => ({ variantId: base.id, check: 'accuracy', status, detail });
  const b = headlineMetric(base.metrics);
  if (b === undefined) return result('skip', 'the baseline has no metric');
  if (!context.sameTask) return result('skip', 'the reports score different tasks');
  const c = cur.metrics.find((m) => m.key === b.key);
  if (c === undefined) return result('fail', `${b.key} is missing from the current report`);
  const margin = context.thresholds.accuracyMarginPoints;
  if (margin !== undefined) {
    const { task, subset } = context.settings;
    const m = marginCheck({
      metricKey: b.key, baseValue: b.value, currentValue: c.value, gold: context.gold, base: base.predictions, current: cur.predictions,
      marginPoints: margin, task, subset,
    });
    return { variantId: base.id, check: 'accuracy', ...m };
  }
  const dropPoints = (b.value - c.value) * 100;
  const status = dropPoints > context.thresholds.maxAccuracyDropPoints ? 'fail' : 'pass';
  const examples = b.examples === c.examples ? '' : `, n=${b.examples} → ${c.examples}`;
  const d = pairedDifference(context.gold, cur.predictions, base.predictions, b.key);
  const significance = d === undefined
    ? 'no paired test: needs per-example predictions in both reports (schema version 2)'
    : `${d.significant ? 'significant' : 'not significant'}: ${differingText(d)}`;
  return result(status, `${b.key} ${points(b.value)} → ${points(c.value)} (${signed(-dropPoints, 2)} points${examples}; ${significance})`);
}

/**
 * A p50 rise fails only when it is over the threshold and the current run's round p50s are higher
 * than the baseline's by a one-sided rank test (p <= RANK_TEST_LEVEL): two runs on different days
 * differ by more than either run's round-to-round spread, so the spread alone is not the yardstick.
 * Version-1 reports have no round p50s; there the margins of error stand in (beyondNoise).
 */
function latencyCheck(base: CompletedVariant, cur: CompletedVariant, t: RegressThresholds): RegressCheck {
  const pairs = base.latency.flatMap((b) => {
    const c = cur.latency.find((p) => samePoint(p, b));
    return c === undefined ? [] : [{ b, c }];
  });
  if (pairs.length === 0) return { variantId: base.id, check: 'latency', status: 'skip', detail: 'no grid point was measured in both runs' };
  let failed = false;
  const details = pairs.map(({ b, c }) => {
    const increase = relativeChangePercent(b.p50Ms, c.p50Ms);
    const overThreshold = increase > t.maxLatencyIncreasePercent;
    const { slower, text } = slowerThan(b, c);
    if (overThreshold && slower) failed = true;
    return `${gridLabel(b)}: p50 ${ms(b.p50Ms)} → ${ms(c.p50Ms)} ms (${signed(increase, 1)}%); ${text}${overThreshold && !slower ? ', not significant' : ''}`
      + reach(b, c);
  });
  return { variantId: base.id, check: 'latency', status: failed ? 'fail' : 'pass', detail: details.join('; ') };
}

/** Below or at this p the current run's rounds count as slower than the baseline's. */
export const RANK_TEST_LEVEL = 0.05;

const rounds = (p: LatencyPoint): readonly number[] => (p as Partial<LatencyPoint>).roundP50sMs ?? [];

function slowerThan(b: LatencyPoint, c: LatencyPoint): { slower: boolean; text: string } {
  const [before, now] = [rounds(b), rounds(c)];
  if (before.length === 0 || now.length === 0) {
    const slower = c.p50Ms > b.p50Ms && beyondNoise(b, c);
    return { slower, text: `no round p50s (a version-1 report): the margins of error decide, noise ±${ms(noiseMs(b, c))} ms` };
  }
  const p = rankSumGreater(now, before);
  const list = (xs: readonly number[]) => xs.map((x) => ms(x)).join(', ');
  const test = `one-sided Mann-Whitney rank test p = ${p.toFixed(p < 0.01 ? 3 : 2)}`;
  return { slower: p <= RANK_TEST_LEVEL, text: `round p50s ${list(before)} → ${list(now)} ms, ${test}` };
}

/** Where no split of the rounds could reach RANK_TEST_LEVEL (1 / C(m + n, m) is the smallest p), say so: more rounds are needed to fail. */
function reach(b: LatencyPoint, c: LatencyPoint): string {
  const [m, n] = [rounds(c).length, rounds(b).length];
  if (m === 0 || n === 0) return '';
  let splits = 1;
  for (let i = 1; i <= m; i++) splits = (splits * (n + i)) / i;
  return 1 / splits > RANK_TEST_LEVEL ? `; p ≤ ${RANK_TEST_LEVEL} is out of reach with ${n} and ${m} rounds` : '';
}

function sizeCheck(base: CompletedVariant, cur: CompletedVariant, t: RegressThresholds): RegressCheck {
  const increase = relativeChangePercent(base.sizeBytes, cur.sizeBytes);
  return {
    variantId: base.id,
    check: 'size',
    status: increase > t.maxSizeIncreasePercent ? 'fail' : 'pass',
    detail: `${mb(base.sizeBytes)} → ${mb(cur.sizeBytes)} MB (${signed(increase, 1)}%)`,
  };
}

function setupWarnings(baseline: Report, current: Report): string[] {
  const warnings: string[] = [];
  const setup = (r: Report) => `${r.env.cpuModel}, ${r.env.threads} threads, ${r.env.executionProvider}, onnxruntime ${r.env.onnxruntime}`;
  if (setup(baseline) !== setup(current)) {
    warnings.push(`Latency is compared across setups: baseline on ${setup(baseline)}, current on ${setup(current)}.`);
  }
  if (baseline.settings.task !== current.settings.task) warnings.push('Accuracy was not compared: the reports score different tasks.');
  return warnings;
}
