import { deltasVsFp32 } from '../verdicts/deltas.js';
import { devicesOf, latencyTitle, otherDeviceCells, transformersJsText } from './device-columns.js';
import { headlineMetric, isCompleted, samePoint } from '../model/figures.js';
import { int, mb, ms, percent, signed } from '../../util/format.js';
import { gridLabel, metricWithInterval } from '../model/units.js';
import { testText } from '../verdicts/paired.js';
import { timingNote } from './timing-note.js';
import type { CompletedVariant, DeviceName, LatencyPoint, ModelFacts, PairedDifference, Report } from '../model/types.js';

/**
 * The per-model results table as plain text cells, shared by the Markdown and HTML renderers so
 * both show the same figures; each renderer only escapes and lays out.
 */
export interface Column {
  readonly title: string;
  readonly numeric: boolean;
  /** What the column is about: report.html lays each out as a table of its own, so neither needs sideways scrolling. */
  readonly about: 'accuracy and size' | 'latency and memory';
}

export type Row =
  | { readonly state: 'completed'; readonly variantId: string; readonly cells: readonly string[] }
  | { readonly state: 'failed'; readonly variantId: string; readonly variant: string; readonly error: string };

export interface ModelTable {
  readonly model: ModelFacts;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** Set when the model's fp32 variant did not complete, so there are no deltas. */
  readonly note: string | undefined;
  /** Rounds, spread, when and under what load the latencies were measured, and whether reused (timing-note.ts). */
  readonly timing: string | undefined;
}

const NONE = '—';
/** Marks the recommended variants in tables and charts. */
export const RECOMMENDED_MARK = '★';

export function modelTables(report: Pick<Report, 'models' | 'variants' | 'recommendation'>): ModelTable[] {
  const recommended = new Set(report.recommendation.variantIds);
  return report.models.map((model) => {
    const variants = report.variants.filter((v) => v.model === model.id);
    const completed = variants.filter(isCompleted);
    const grid = gridOf(completed);
    const metricKey = completed.map((v) => headlineMetric(v.metrics)).find((m) => m !== undefined)?.key ?? 'accuracy';
    const devices = devicesOf(completed);
    const checked = completed.some((v) => v.transformersJs !== undefined);
    const accuracy = (title: string, numeric = true): Column => ({ title, numeric, about: 'accuracy and size' });
    const latency = (title: string): Column => ({ title, numeric: true, about: 'latency and memory' });
    const columns: Column[] = [
      accuracy('variant', false),
      accuracy('size (MB)'),
      accuracy('params unique / executed'),
      accuracy(`${metricKey} (95% CI), n`),
      accuracy('agreement with fp32'),
      ...grid.map((p) => latency(latencyTitle(p, devices[0]))),
      ...devices.slice(1).flatMap((device) => grid.map((p) => latency(latencyTitle(p, device)))),
      latency('peak RSS (MB)'),
      accuracy('Δ size vs fp32'),
      ...grid.map((p) => latency(`Δ p50 ${gridLabel(p)}`)),
      accuracy(`Δ ${metricKey} (points, paired test)`),
      ...(checked ? [accuracy('transformers.js', false)] : []),
    ];
    const rows: Row[] = variants.map((v) => {
      const name = recommended.has(v.id) ? `${v.variant} ${RECOMMENDED_MARK}` : v.variant;
      if (v.state === 'failed') return { state: 'failed', variantId: v.id, variant: name, error: `failed: ${v.error.code}: ${v.error.message}` };
      const extra = checked ? [transformersJsText(v.transformersJs)] : [];
      return { state: 'completed', variantId: v.id, cells: [name, ...completedCells(report, v, grid, devices), ...extra] };
    });
    const hasFp32 = completed.some((v) => v.variant === 'fp32');
    const note = hasFp32 || completed.length === 0 ? undefined : `${model.id} has no completed fp32 variant, so there are no deltas.`;
    return { model, columns, rows, note, timing: timingNote(completed) };
  });
}

function completedCells(report: Pick<Report, 'variants'>, v: CompletedVariant, grid: readonly LatencyPoint[], devices: readonly DeviceName[]): string[] {
  const metric = headlineMetric(v.metrics);
  // compare puts the agreement on the first metric; it is the predictions', whichever metric is the headline.
  const agreement = v.metrics.find((m) => m.agreementWithFp32 !== undefined)?.agreementWithFp32;
  const at = (p: LatencyPoint) => v.latency.find((q) => samePoint(p, q));
  const d = deltasVsFp32(report, v);
  const reference = v.variant === 'fp32' ? 'reference' : NONE;
  return [
    mb(v.sizeBytes),
    `${int(v.params.unique)} / ${int(v.params.executed)}`,
    metric === undefined ? NONE : metricWithInterval(metric),
    agreement === undefined ? NONE : percent(agreement),
    ...grid.map((p) => {
      const q = at(p);
      return q === undefined ? NONE : `${ms(q.p50Ms)} / ${ms(q.p99Ms)}`;
    }),
    ...otherDeviceCells(v, devices, grid),
    mb(v.memory.peakRssAfterRunsBytes, 1),
    d === undefined ? reference : `${signed(d.sizePercent, 1)}%`,
    ...grid.map((p) => {
      const delta = d?.p50Percent.find((x) => samePoint(x.point, p));
      return delta === undefined ? reference : `${signed(delta.percent, 1)}%`;
    }),
    d?.metricPoints === undefined ? reference : metricDeltaText(d.metricPoints, d.metricTest),
  ];
}

/** "-0.34 (McNemar p = 0.55, a tie)": a delta is read with its paired test, so one example in 872 is not news. */
function metricDeltaText(points: number, test: PairedDifference | undefined): string {
  if (test === undefined) return signed(points, 2);
  return `${signed(points, 2)} (${testText(test)}${test.significant ? '' : ', a tie'})`;
}

/** Every grid point any variant of the model measured, in the order they first appear. */
function gridOf(variants: readonly CompletedVariant[]): LatencyPoint[] {
  const grid: LatencyPoint[] = [];
  const points = (v: CompletedVariant) => [...v.latency, ...(v.latencyByDevice ?? []).flatMap((d) => (d.state === 'timed' ? d.latency : []))];
  for (const v of variants) for (const p of points(v)) if (!grid.some((q) => samePoint(p, q))) grid.push(p);
  return grid;
}
