import { beyondNoise, marginMs, samePoint } from './figures.js';
import { subsetText } from './describe.js';
import { gridLabel, mb, ms, points, relativeChangePercent, signed } from './format.js';
import type { CompletedVariant, Report, VariantResult } from './types.js';

export interface RegressThresholds {
  /** Largest allowed drop of the first metric, in points (x100). */
  readonly maxAccuracyDropPoints: number;
  /** Largest allowed p50 increase at any grid point, in percent; only increases beyond noise count. */
  readonly maxLatencyIncreasePercent: number;
  readonly maxSizeIncreasePercent: number;
}

export const DEFAULT_THRESHOLDS: RegressThresholds = { maxAccuracyDropPoints: 1, maxLatencyIncreasePercent: 10, maxSizeIncreasePercent: 5 };

export type CheckName = 'completed' | 'accuracy' | 'latency' | 'size';
export const CHECK_NAMES: readonly CheckName[] = ['completed', 'accuracy', 'latency', 'size'];

export interface RegressCheck {
  readonly variantId: string;
  readonly check: CheckName;
  readonly status: 'pass' | 'fail' | 'skip';
  /** The figures behind the status, one line. */
  readonly detail: string;
}

export interface RegressResult {
  readonly thresholds: RegressThresholds;
  /** Every variant of the baseline, each with all four checks, in baseline order. */
  readonly checks: readonly RegressCheck[];
  /** Variants only the current report has: nothing to compare them with. */
  readonly newVariantIds: readonly string[];
  /** Differences of setup that make a comparison less meaningful (other CPU, other subset). */
  readonly warnings: readonly string[];
}

export function hasRegression(result: RegressResult): boolean {
  return result.checks.some((c) => c.status === 'fail');
}

/**
 * Compares two reports variant by variant (by id): a variant the baseline had must still be there
 * and complete, and must not lose more accuracy, gain more latency or grow more than the
 * thresholds allow. Latency also has to rise by more than both runs' combined margin of error,
 * so a noisy machine does not fail a build on its own.
 */
export function regress(baseline: Report, current: Report, thresholds: RegressThresholds): RegressResult {
  const byId = new Map(current.variants.map((v) => [v.id, v]));
  const baselineIds = new Set(baseline.variants.map((v) => v.id));
  const sameTask = baseline.settings.task === current.settings.task;
  const checks = baseline.variants.flatMap((b) => variantChecks(b, byId.get(b.id), thresholds, sameTask));
  return {
    thresholds,
    checks,
    newVariantIds: current.variants.filter((v) => !baselineIds.has(v.id)).map((v) => v.id),
    warnings: setupWarnings(baseline, current),
  };
}

function variantChecks(base: VariantResult, cur: VariantResult | undefined, t: RegressThresholds, sameTask: boolean): RegressCheck[] {
  const id = base.id;
  const all = (status: RegressCheck['status'], completed: string, others: string): RegressCheck[] =>
    CHECK_NAMES.map((check) => ({ variantId: id, check, status: check === 'completed' ? status : 'skip', detail: check === 'completed' ? completed : others }));
  if (cur === undefined) return all('fail', 'missing from the current report', 'missing from the current report');
  if (cur.state === 'failed') {
    if (base.state === 'failed') return all('skip', `failed in both runs (now ${cur.error.code}: ${cur.error.message})`, 'failed in both runs');
    return all('fail', `newly failed: ${cur.error.code}: ${cur.error.message}`, 'failed in the current run');
  }
  if (base.state === 'failed') return all('pass', 'completes now (failed in the baseline)', 'no baseline figures (failed in the baseline)');
  return [
    { variantId: id, check: 'completed', status: 'pass', detail: 'completed in both runs' },
    accuracyCheck(base, cur, t, sameTask),
    latencyCheck(base, cur, t),
    sizeCheck(base, cur, t),
  ];
}

function accuracyCheck(base: CompletedVariant, cur: CompletedVariant, t: RegressThresholds, sameTask: boolean): RegressCheck {
  const result = (status: RegressCheck['status'], detail: string): RegressCheck => ({ variantId: base.id, check: 'accuracy', status, detail });
  const [b] = base.metrics;
  if (b === undefined) return result('skip', 'the baseline has no metric');
  if (!sameTask) return result('skip', 'the reports score different tasks');
  const c = cur.metrics.find((m) => m.key === b.key);
  if (c === undefined) return result('fail', `${b.key} is missing from the current report`);
  const dropPoints = (b.value - c.value) * 100;
  const status = dropPoints > t.maxAccuracyDropPoints ? 'fail' : 'pass';
  const examples = b.examples === c.examples ? '' : `, n=${b.examples} → ${c.examples}`;
  return result(status, `${b.key} ${points(b.value)} → ${points(c.value)} (${signed(-dropPoints, 2)} points${examples})`);
}

function latencyCheck(base: CompletedVariant, cur: CompletedVariant, t: RegressThresholds): RegressCheck {
  const pairs = base.latency.flatMap((b) => {
    const c = cur.latency.find((p) => samePoint(p, b));
    return c === undefined ? [] : [{ b, c }];
  });
  if (pairs.length === 0) return { variantId: base.id, check: 'latency', status: 'skip', detail: 'no grid point was measured in both runs' };
  let failed = false;
  const details = pairs.map(({ b, c }) => {
    const increase = relativeChangePercent(b.p50Ms, c.p50Ms);
    const noise = Math.hypot(marginMs(b), marginMs(c));
    const overThreshold = increase > t.maxLatencyIncreasePercent;
    const overNoise = c.p50Ms > b.p50Ms && beyondNoise(b, c);
    if (overThreshold && overNoise) failed = true;
    const note = overThreshold && !overNoise ? ', within noise' : '';
    return `${gridLabel(b)}: p50 ${ms(b.p50Ms)} → ${ms(c.p50Ms)} ms (${signed(increase, 1)}%, noise ±${ms(noise)} ms${note})`;
  });
  return { variantId: base.id, check: 'latency', status: failed ? 'fail' : 'pass', detail: details.join('; ') };
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
  if (baseline.settings.task !== current.settings.task) {
    warnings.push(`The reports score different tasks (${baseline.settings.task} and ${current.settings.task}); accuracy was not compared.`);
  } else if (subsetText(baseline.settings.subset) !== subsetText(current.settings.subset)) {
    warnings.push(`Accuracy was measured on ${subsetText(baseline.settings.subset)} in the baseline and on ${subsetText(current.settings.subset)} now.`);
  }
  return warnings;
}
