import { signed } from '../../util/format.js';
import { METRICS } from '../../glue/metrics.js';
import type { MetricKey } from '../../glue/tasks.js';
import { headlineMetric } from '../model/figures.js';
import { mcnemarExact, pairedBootstrapDifference, SIGNIFICANCE_LEVEL } from './stats.js';
import type { CompletedVariant, PairedDifference, Report, RowValues } from '../model/types.js';

/** The bootstrap behind every regression-task difference; fixed, so a report can be recomputed from its JSON. */
export const PAIRED_BOOTSTRAP = { seed: 0, resamples: 1000 } as const;

export interface Aligned {
  readonly gold: number[];
  readonly a: number[];
  readonly b: number[];
}

/** The rows all three cover, in `a`'s order, with one value each; undefined when none or the kind is missing. */
export function alignRows(gold: RowValues, a: RowValues, b: RowValues, kind: 'labels' | 'scores'): Aligned | undefined {
  const goldValues = gold[kind];
  const aValues = a[kind];
  const bValues = b[kind];
  if (goldValues === undefined || aValues === undefined || bValues === undefined) return undefined;
  const goldAt = new Map(gold.rows.map((row, i) => [row, goldValues[i] as number]));
  const bAt = new Map(b.rows.map((row, i) => [row, bValues[i] as number]));
  const out: Aligned = { gold: [], a: [], b: [] };
  a.rows.forEach((row, i) => {
    const g = goldAt.get(row);
    const other = bAt.get(row);
    if (g === undefined || other === undefined) return;
    out.gold.push(g);
    out.a.push(aValues[i] as number);
    out.b.push(other);
  });
  return out.gold.length === 0 ? undefined : out;
}

/**
 * `a` against `b` on the dev rows both were scored on, in `metricKey` (the headline: the task's
 * GLUE score). Accuracy, the score of the accuracy-only tasks, by the exact McNemar test on per-row
 * correctness; any other score (CoLA's MCC, MRPC's and QQP's mean of accuracy and F1, STS-B's mean
 * of Pearson and Spearman) by a seeded paired bootstrap of that score, since a test of correctness
 * says nothing about an MCC or a correlation. undefined when the reports lack the predictions
 * (version 1) or the metric is not one GLUE defines.
 */
export function pairedDifference(
  gold: RowValues | undefined, a: RowValues | undefined, b: RowValues | undefined, metricKey: string,
): PairedDifference | undefined {
  if (gold === undefined || a === undefined || b === undefined) return undefined;
  let byA = tested.get(gold);
  if (byA === undefined) tested.set(gold, (byA = new WeakMap()));
  let byB = byA.get(a);
  if (byB === undefined) byA.set(a, (byB = new WeakMap()));
  let byMetric = byB.get(b);
  if (byMetric === undefined) byB.set(b, (byMetric = new Map()));
  if (!byMetric.has(metricKey)) byMetric.set(metricKey, testOf(gold, a, b, metricKey));
  return byMetric.get(metricKey);
}

/** Each pair's test, once per (gold, a, b, metric): the recommendation and its Pareto set judge a pair many times, and a bootstrap is not free. */
const tested = new WeakMap<RowValues, WeakMap<RowValues, WeakMap<RowValues, Map<string, PairedDifference | undefined>>>>();

function testOf(gold: RowValues, a: RowValues, b: RowValues, metricKey: string): PairedDifference | undefined {
  const labels = alignRows(gold, a, b, 'labels');
  if (metricKey === 'accuracy') return labels === undefined ? undefined : mcnemarOf(labels);
  if (!Object.hasOwn(METRICS, metricKey)) return undefined;
  const rows = labels ?? alignRows(gold, a, b, 'scores');
  return rows === undefined ? undefined : bootstrapOf(rows, metricKey as MetricKey);
}

function mcnemarOf({ gold, a, b }: Aligned): PairedDifference {
  let onlyThisCorrect = 0;
  let onlyOtherCorrect = 0;
  let differing = 0;
  gold.forEach((g, i) => {
    if (a[i] !== b[i]) differing++;
    if (a[i] === g && b[i] !== g) onlyThisCorrect++;
    if (b[i] === g && a[i] !== g) onlyOtherCorrect++;
  });
  const pValue = mcnemarExact(onlyThisCorrect, onlyOtherCorrect);
  return {
    test: 'mcnemar', difference: (onlyThisCorrect - onlyOtherCorrect) / gold.length, examples: gold.length, predictionsDiffering: differing,
    significant: pValue < SIGNIFICANCE_LEVEL, onlyThisCorrect, onlyOtherCorrect, pValue,
  };
}

function bootstrapOf({ gold, a, b }: Aligned, metric: MetricKey): PairedDifference {
  const score = METRICS[metric];
  const interval = pairedBootstrapDifference(gold, a, b, score, PAIRED_BOOTSTRAP);
  return {
    test: 'paired-bootstrap', metric, difference: score(gold, a) - score(gold, b), examples: gold.length,
    predictionsDiffering: a.filter((x, i) => x !== b[i]).length,
    significant: interval.low > 0 || interval.high < 0,
    pValue: interval.pValue, ci95Low: interval.low, ci95High: interval.high, resamples: interval.resamples, seed: PAIRED_BOOTSTRAP.seed,
  };
}

const pText = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(p < 0.01 ? 3 : 2));

/** "p = 0.19", or "p < 0.001" for a bootstrap none of whose `resamples` reached 0. */
export function bootstrapPText(pValue: number, resamples: number): string {
  return pValue === 0 ? `p < ${pText(1 / resamples)}` : `p = ${pText(pValue)}`;
}

/**
 * The test's figures, naming the test, to print beside a delta: "McNemar p = 0.55", or "paired
 * bootstrap of mcc p = 0.003, 95% CI +1.20 to +6.80 points" (a report written before the bootstrap
 * had a p-value or named its metric prints what it has).
 */
export function testText(d: PairedDifference): string {
  if (d.test === 'mcnemar') return `McNemar p = ${pText(d.pValue)}`;
  const interval = `95% CI ${signed(d.ci95Low * 100, 2)} to ${signed(d.ci95High * 100, 2)} points`;
  const name = `paired bootstrap${d.metric === undefined ? '' : ` of ${d.metric}`}`;
  if (d.pValue === undefined) return `${name} ${interval}`;
  return `${name} ${bootstrapPText(d.pValue, d.resamples)}, ${interval}`;
}

/** "11 of 872 predictions differ (McNemar p = 0.55)". */
export function differingText(d: PairedDifference): string {
  const verb = d.predictionsDiffering === 1 ? 'differs' : 'differ';
  return `${d.predictionsDiffering} of ${d.examples} predictions ${verb} (${testText(d)})`;
}

/** "bert/int8-dynamic and bert/fp32 are indistinguishable in accuracy: 11 of 872 predictions differ (McNemar p = 0.55)". */
export function accuracyTieText(a: string, b: string, d: PairedDifference, metricKey: string): string {
  const what = d.test === 'mcnemar' ? 'accuracy' : metricKey;
  return `${a} and ${b} are indistinguishable in ${what}: ${differingText(d)}`;
}

/** `a` against `b` on the headline metric, from the report's own predictions; undefined when it cannot be tested. */
export function variantDifference(gold: RowValues | undefined, a: CompletedVariant, b: CompletedVariant): PairedDifference | undefined {
  const key = headlineMetric(a.metrics)?.key;
  if (key === undefined || headlineMetric(b.metrics)?.key !== key) return undefined;
  return pairedDifference(gold, a.predictions, b.predictions, key);
}

/** Every completed variant but fp32 gains its headline metric's paired difference against its model's fp32. */
export function withDifferencesVsFp32(report: Pick<Report, 'gold' | 'variants'>): Report['variants'] {
  return report.variants.map((v) => {
    if (v.state !== 'completed' || v.variant === 'fp32') return v;
    const fp32 = report.variants.find((r): r is CompletedVariant => r.model === v.model && r.variant === 'fp32' && r.state === 'completed');
    const d = fp32 === undefined ? undefined : variantDifference(report.gold, v, fp32);
    if (d === undefined) return v;
    const headline = headlineMetric(v.metrics);
    return { ...v, metrics: v.metrics.map((m) => (m === headline ? { ...m, differenceVsFp32: d } : m)) };
  });
}
