import { AlbenchError, UsageError } from '../errors.js';

/** The accuracy a variant must keep, on the task's first metric; points are percentage points (1 = 0.01). */
export interface AccuracyBudget {
  /** At most this many points below fp32 on the same sample. */
  readonly maxDropPoints?: number;
  /** At least this value (a fraction, as metrics are stored). */
  readonly minMetric?: number;
}

const DEFAULT_MAX_DROP_POINTS = 1;

/** The metric a candidate must reach on the sample; without either bound, DEFAULT_MAX_DROP_POINTS below fp32. */
export function targetMetric(budget: AccuracyBudget, fp32Metric: number): number {
  const { maxDropPoints, minMetric } = budget;
  if (maxDropPoints !== undefined && !(maxDropPoints >= 0)) throw new UsageError(`--max-drop must be a number of points >= 0, got ${maxDropPoints}`);
  const fromDrop = fp32Metric - (maxDropPoints ?? (minMetric === undefined ? DEFAULT_MAX_DROP_POINTS : Infinity)) / 100;
  return Math.max(fromDrop, minMetric ?? -Infinity);
}

export function describeBudget(budget: AccuracyBudget): string {
  const parts: string[] = [];
  if (budget.maxDropPoints !== undefined || budget.minMetric === undefined) parts.push(`--max-drop ${budget.maxDropPoints ?? DEFAULT_MAX_DROP_POINTS}`);
  if (budget.minMetric !== undefined) parts.push(`--min-accuracy ${(budget.minMetric * 100).toFixed(2)}`);
  return parts.join(' and ');
}

/** The search found no variant within the budget: exit 1, with what it reached so the user can pick another budget. */
export class AccuracyBudgetError extends AlbenchError {
  constructor(message: string) {
    super('VALIDATION_FAILED', message);
  }
}
