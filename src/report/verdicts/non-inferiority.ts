import type { PairedDifference } from '../model/types.js';

/**
 * A 95% interval of a variant's metric minus its fp32's, from the paired difference the report
 * carries. McNemar (classification) carries only the discordant counts, so the interval is the
 * Wald interval for a difference of paired proportions: d = (b - c) / n, with
 * se = sqrt((b + c) - (b - c)^2 / n) / n, d ± 1.96 se (b: rows only this variant got right, c: only
 * fp32). It is the accuracy difference, as McNemar's test is. Bootstrap (regression) carries its own.
 */
export interface DifferenceInterval {
  readonly method: 'wald-paired-proportions' | 'paired-bootstrap';
  /** Fractions, like MetricResult.value. */
  readonly low: number;
  readonly high: number;
}

const Z95 = 1.959964;

export function differenceInterval(d: PairedDifference): DifferenceInterval {
  if (d.test === 'paired-bootstrap') return { method: 'paired-bootstrap', low: d.ci95Low, high: d.ci95High };
  const n = d.examples;
  const b = d.onlyThisCorrect;
  const c = d.onlyOtherCorrect;
  // No paired rows: the difference can be anything a fraction allows.
  if (n === 0) return { method: 'wald-paired-proportions', low: -1, high: 1 };
  const diff = (b - c) / n;
  const se = Math.sqrt(Math.max(0, b + c - ((b - c) ** 2) / n)) / n;
  return { method: 'wald-paired-proportions', low: diff - Z95 * se, high: diff + Z95 * se };
}

/** Non-inferior at margin `points`: the interval's lower end is at or above -points (points = fraction x 100). */
export function nonInferior(interval: DifferenceInterval, points: number): boolean {
  return interval.low >= -points / 100;
}
