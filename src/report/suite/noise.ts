import { METRICS } from '../../glue/metrics.js';
import type { GlueTaskId, MetricKey } from '../../glue/tasks.js';
import { mean, glueAverage } from './average.js';
import { headlineMetric, samePoint } from '../model/figures.js';
import type { SuiteRow, SuiteRunReport } from '../model/suite-types.js';
import type { CompletedVariant } from '../model/types.js';
import { noiseMs } from '../verdicts/noise.js';
import { alignRows, bootstrapPText, PAIRED_BOOTSTRAP, type Aligned } from '../verdicts/paired.js';
import { bootstrapPValue, SIGNIFICANCE_LEVEL } from '../verdicts/stats.js';
import { ms, signed } from '../../util/format.js';
import { bootstrapDistribution, percentileOfSorted } from '../../util/stats.js';

/**
 * The task reports' noise rules applied to a suite's averages over tasks: a difference in the GLUE
 * average counts only when a paired bootstrap over every task's rows finds it, a difference in
 * mean latency only beyond the tasks' own between-round noise. Claims, the recommendation and the
 * charts' fronts all judge rows with these.
 */

/** Row `a`'s GLUE average minus row `b`'s and the paired bootstrap behind it. */
export interface AverageDifference {
  /** In points (x100). */
  readonly points: number;
  readonly ci95LowPoints: number;
  readonly ci95HighPoints: number;
  readonly pValue: number;
  readonly significant: boolean;
  /** Dev rows paired over all the tasks, and how many tasks. */
  readonly rows: number;
  readonly tasks: number;
  readonly resamples: number;
}

export interface SuiteNoise {
  /** undefined where a task's predictions are missing (a version-1 report) or do not pair. */
  readonly average: (a: SuiteRow, b: SuiteRow) => AverageDifference | undefined;
  /** What the rows' mean p50s must differ by: the mean over the tasks of each task's noise (noise.ts); undefined without a shared point in every task. */
  readonly latencyNoiseMs: (a: SuiteRow, b: SuiteRow) => number | undefined;
}

interface TaskPair extends Aligned {
  readonly task: GlueTaskId;
  readonly metric: MetricKey;
}

/** The suite's judge of its rows, from its compare runs; each pair's bootstrap is drawn once. */
export function suiteNoise(runs: readonly SuiteRunReport[]): SuiteNoise {
  const variantOf = (row: SuiteRow, task: GlueTaskId) => {
    const run = runs.find((r) => r.family === row.family && r.task === task);
    const v = run?.report.variants.find((x): x is CompletedVariant => x.variant === row.variant && x.state === 'completed');
    return v === undefined || run === undefined ? undefined : { v, gold: run.report.gold };
  };
  const pairs = (a: SuiteRow, b: SuiteRow): TaskPair[] | undefined => {
    const out: TaskPair[] = [];
    for (const { task } of a.cells) {
      const [x, y] = [variantOf(a, task), variantOf(b, task)];
      const key = x === undefined ? undefined : headlineMetric(x.v.metrics)?.key;
      if (x === undefined || y === undefined || key === undefined || !Object.hasOwn(METRICS, key)) return undefined;
      const aligned = alignRows(x.gold ?? { rows: [] }, x.v.predictions ?? { rows: [] }, y.v.predictions ?? { rows: [] }, 'labels')
        ?? alignRows(x.gold ?? { rows: [] }, x.v.predictions ?? { rows: [] }, y.v.predictions ?? { rows: [] }, 'scores');
      if (aligned === undefined) return undefined;
      out.push({ ...aligned, task, metric: key as MetricKey });
    }
    return out.length === 0 ? undefined : out;
  };
  const memo = new Map<string, AverageDifference | undefined>();
  const average = (a: SuiteRow, b: SuiteRow): AverageDifference | undefined => {
    const reverse = memo.get(`${b.id}\n${a.id}`);
    if (reverse !== undefined) return negated(reverse);
    const key = `${a.id}\n${b.id}`;
    if (!memo.has(key)) {
      const found = a.glueAverage === undefined || b.glueAverage === undefined ? undefined : pairs(a, b);
      memo.set(key, found === undefined ? undefined : bootstrapAverage(found, ((a.glueAverage ?? 0) - (b.glueAverage ?? 0)) * 100));
    }
    return memo.get(key);
  };
  const latencyNoiseMs = (a: SuiteRow, b: SuiteRow): number | undefined => {
    const noises = a.cells.map(({ task }) => {
      const [x, y] = [variantOf(a, task)?.v.latency[0], variantOf(b, task)?.v.latency[0]];
      return x === undefined || y === undefined || !samePoint(x, y) ? undefined : noiseMs(x, y);
    });
    return noises.length === 0 || noises.some((n) => n === undefined) ? undefined : mean(noises as number[]);
  };
  return { average, latencyNoiseMs };
}

/**
 * The bootstrap of the GLUE-average difference: each task's rows resampled within the task (one
 * stratum per task, so every resample scores every task on as many rows as it has), each task's
 * score recomputed for both rows, and the two GLUE averages (average.ts's rule) subtracted.
 */
function bootstrapAverage(tasks: readonly TaskPair[], points: number): AverageDifference {
  const bounds: Array<[number, number]> = [];
  let end = 0;
  for (const t of tasks) bounds.push([end, (end += t.gold.length)]);
  const column = (pick: (t: TaskPair) => readonly number[]) => Float64Array.from(tasks.flatMap(pick));
  const strata = Float64Array.from(tasks.flatMap((t, i) => t.gold.map(() => i)));
  const diffs = bootstrapDistribution([column((t) => t.gold), column((t) => t.a), column((t) => t.b)], { ...PAIRED_BOOTSTRAP, strata }, ([g, a, b]) => {
    const scores = (pred: Float64Array) => tasks.map((t, i) => {
      const [from, to] = bounds[i] as [number, number];
      return { task: t.task, score: METRICS[t.metric]((g as Float64Array).subarray(from, to), pred.subarray(from, to)) };
    });
    return ((glueAverage(scores(a as Float64Array)) ?? Number.NaN) - (glueAverage(scores(b as Float64Array)) ?? Number.NaN)) * 100;
  });
  const [low, high, pValue] = [percentileOfSorted(diffs, 0.025), percentileOfSorted(diffs, 0.975), bootstrapPValue(diffs)];
  return {
    points, ci95LowPoints: low, ci95HighPoints: high, pValue, significant: pValue < SIGNIFICANCE_LEVEL, rows: end, tasks: tasks.length, resamples: diffs.length,
  };
}

function negated(d: AverageDifference): AverageDifference {
  return { ...d, points: -d.points, ci95LowPoints: -d.ci95HighPoints, ci95HighPoints: -d.ci95LowPoints };
}

/** "paired bootstrap over 872 rows of 1 task, p = 0.28, 95% CI -1.2 to +4.4 points". */
export function averageTestText(d: AverageDifference): string {
  const tasks = `${d.tasks} task${d.tasks === 1 ? '' : 's'}`;
  return `paired bootstrap over ${d.rows} rows of ${tasks}, ${bootstrapPText(d.pValue, d.resamples)}, `
    + `95% CI ${signed(d.ci95LowPoints, 1)} to ${signed(d.ci95HighPoints, 1)} points`;
}

export type SuiteDimension = 'accuracy' | 'size' | 'latency';

/** Each row figure as a cost (smaller is better); Infinity where the row lacks it. */
const COST: Record<SuiteDimension, (r: SuiteRow) => number> = {
  accuracy: (r) => -(r.glueAverage ?? -Infinity),
  size: (r) => r.meanSizeBytes ?? Infinity,
  latency: (r) => r.meanP50Ms ?? Infinity,
};

/**
 * Row `a` against row `b` on one figure: negative when `a` is better, 0 for a tie (equal, or
 * different within noise, with the sentence that says so), positive when `b` is. Without the
 * paired predictions (or a shared grid point) the raw figures decide.
 */
export function judgeRows(noise: SuiteNoise, dimension: SuiteDimension, a: SuiteRow, b: SuiteRow): { order: number; tie?: string } {
  const raw = COST[dimension](a) - COST[dimension](b);
  if (raw === 0 || !Number.isFinite(raw)) return { order: Number.isNaN(raw) ? 0 : raw };
  if (dimension === 'accuracy') {
    const d = noise.average(a, b);
    if (d === undefined || d.significant) return { order: raw };
    return { order: 0, tie: `${a.id} and ${b.id} are indistinguishable in GLUE average: ${signed(d.points, 1)} points (${averageTestText(d)})` };
  }
  const within = dimension === 'latency' ? noise.latencyNoiseMs(a, b) : undefined;
  if (within === undefined || Math.abs(raw) > within) return { order: raw };
  const figures = `mean p50 ${ms(a.meanP50Ms ?? Number.NaN)} vs ${ms(b.meanP50Ms ?? Number.NaN)} ms, within the noise of ±${ms(within)} ms`;
  return { order: 0, tie: `${a.id} and ${b.id} are indistinguishable in latency: ${figures}` };
}

/** One figure as it is, no noise rule: negative when `a` is better. */
export function rawOrder<R extends SuiteRow>(dimension: SuiteDimension): (a: R, b: R) => number {
  return (a, b) => {
    const difference = COST[dimension](a) - COST[dimension](b);
    return Number.isNaN(difference) ? 0 : difference;
  };
}

/** By the raw figures, best first (GLUE average, then size, then latency), then by id: one order whatever the input's. */
export function canonicalRows<R extends SuiteRow>(rows: readonly R[], dims: readonly SuiteDimension[] = ['accuracy', 'size', 'latency']): R[] {
  return [...rows].sort((a, b) => {
    for (const d of dims) {
      const difference = rawOrder(d)(a, b);
      if (difference !== 0) return difference;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
