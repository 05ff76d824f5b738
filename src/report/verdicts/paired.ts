import { signed } from '../../util/format.js';
import { pearson } from '../../glue/metrics.js';
import { mcnemarExact, pairedBootstrapDifference, SIGNIFICANCE_LEVEL } from './stats.js';
import type { CompletedVariant, PairedDifference, Report, RowValues } from '../model/types.js';

/** The bootstrap behind every regression-task difference; fixed, so a report can be recomputed from its JSON. */
export const PAIRED_BOOTSTRAP = { seed: 0, resamples: 1000 } as const;

interface Aligned {
  readonly gold: number[];
  readonly a: number[];
  readonly b: number[];
}

/** The rows all three cover, in `a`'s order, with one value each. */
function align(gold: RowValues, a: RowValues, b: RowValues, kind: 'labels' | 'scores'): Aligned | undefined {
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
 * `a` against `b` on the dev rows both were scored on: for classification, the exact McNemar test
 * on per-row correctness (so it tests the accuracy difference, whatever the headline metric); for
 * regression, a paired bootstrap interval of the Pearson difference. undefined when the reports
 * lack the predictions (version 1) or no test fits (a regression metric other than Pearson).
 */
export function pairedDifference(
  gold: RowValues | undefined, a: RowValues | undefined, b: RowValues | undefined, metricKey: string,
): PairedDifference | undefined {
  if (gold === undefined || a === undefined || b === undefined) return undefined;
  const labels = align(gold, a, b, 'labels');
  if (labels !== undefined) return mcnemarOf(labels);
  const scores = metricKey === 'pearson' ? align(gold, a, b, 'scores') : undefined;
  return scores === undefined ? undefined : bootstrapOf(scores);
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

function bootstrapOf({ gold, a, b }: Aligned): PairedDifference {
  const interval = pairedBootstrapDifference(gold, a, b, pearson, PAIRED_BOOTSTRAP);
  return {
    test: 'paired-bootstrap', difference: pearson(gold, a) - pearson(gold, b), examples: gold.length,
    predictionsDiffering: a.filter((x, i) => x !== b[i]).length,
    significant: interval.low > 0 || interval.high < 0,
    ci95Low: interval.low, ci95High: interval.high, resamples: interval.resamples, seed: PAIRED_BOOTSTRAP.seed,
  };
}

/** "McNemar p = 0.55" or "95% CI -0.4 to +0.3 points": the test's figure, to print beside a delta. */
export function testText(d: PairedDifference): string {
  if (d.test === 'mcnemar') return `McNemar p = ${d.pValue < 0.001 ? d.pValue.toExponential(1) : d.pValue.toFixed(d.pValue < 0.01 ? 3 : 2)}`;
  return `95% CI ${signed(d.ci95Low * 100, 2)} to ${signed(d.ci95High * 100, 2)} points`;
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

/** `a` against `b` on the first metric, from the report's own predictions; undefined when it cannot be tested. */
export function variantDifference(gold: RowValues | undefined, a: CompletedVariant, b: CompletedVariant): PairedDifference | undefined {
  const key = a.metrics[0]?.key;
  if (key === undefined || b.metrics[0]?.key !== key) return undefined;
  return pairedDifference(gold, a.predictions, b.predictions, key);
}

/** Every completed variant but fp32 gains its first metric's paired difference against its model's fp32. */
export function withDifferencesVsFp32(report: Pick<Report, 'gold' | 'variants'>): Report['variants'] {
  return report.variants.map((v) => {
    if (v.state !== 'completed' || v.variant === 'fp32') return v;
    const fp32 = report.variants.find((r): r is CompletedVariant => r.model === v.model && r.variant === 'fp32' && r.state === 'completed');
    const d = fp32 === undefined ? undefined : variantDifference(report.gold, v, fp32);
    if (d === undefined) return v;
    return { ...v, metrics: v.metrics.map((m, i) => (i === 0 ? { ...m, differenceVsFp32: d } : m)) };
  });
}
