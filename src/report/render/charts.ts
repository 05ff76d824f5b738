import { completedHeadlines, samePoint, type Headline } from '../model/figures.js';
import { gridLabel } from '../model/units.js';
import { judgedOrder, type Dimension } from '../verdicts/judge.js';
import { paretoFrontWith, type Comparator } from '../verdicts/pareto.js';
import type { Report, RowValues } from '../model/types.js';
import type { ChartPoint, ChartSpec } from './svg-chart.js';

/** What a report's charts are drawn from; `matrix` says when a merged report's latencies may not be compared. */
type ChartFigures = Pick<Report, 'models' | 'variants' | 'gold' | 'matrix'>;

const FRONT_CAPTION = 'Circled: no other variant is better on one axis and not worse on the other, differences within noise counted as ties'
  + ' (the rule of the recommendation, which weighs accuracy, size and latency at once, so its set can differ).';

/**
 * The two trade-off charts of report.html: accuracy against file size and against p50 latency at
 * the first grid point. Each marks its own two-figure Pareto front, which is what the eye checks
 * in a plane, by the recommendation's rule (judge.ts): a difference within noise is a tie, so a
 * point is off the front only when another is better on one axis beyond noise and not worse on the other.
 */
export function tradeoffCharts(report: ChartFigures): ChartSpec[] {
  const headlines = completedHeadlines(report.variants).filter((h) => h.metric !== undefined);
  const series = report.models.map((m) => m.id);
  const metricKey = headlines[0]?.metric?.key ?? 'accuracy';
  const yLabel = `${metricKey} (${metricKey === 'accuracy' || metricKey === 'f1' ? '%' : 'x100'})`;
  const firstPoint = headlines.find((h) => h.point !== undefined)?.point;
  const grid = firstPoint === undefined ? 'no latency measured' : `p50 at ${gridLabel(firstPoint)}`;
  // Each variant at the plotted grid point, so a latency tie is judged on the timings the chart shows.
  const plotted = headlines.map((h) => ({ ...h, point: firstPoint === undefined ? undefined : h.variant.latency.find((p) => samePoint(p, firstPoint)) }));
  // A merged report whose first environment's shards were timed at once: the recommendation leaves latency out, and so does this front.
  const blind = report.matrix?.latencyNotComparable.find((c) => c.env === 0)?.reason;
  return [
    {
      id: 'accuracy-vs-size', title: `${metricKey} vs file size`, xLabel: 'ONNX file size (MB)', yLabel,
      xFromZero: true, series, points: withFront(headlines, report.gold, 'size', (h) => h.variant.sizeBytes / 1e6), caption: FRONT_CAPTION,
    },
    {
      id: 'accuracy-vs-latency', title: `${metricKey} vs latency (${grid})`, xLabel: `latency, ${grid} (ms)`, yLabel,
      xFromZero: true, series,
      points: withFront(plotted, report.gold, blind === undefined ? 'latency' : undefined, (h) => h.point?.p50Ms),
      caption: blind === undefined ? FRONT_CAPTION
        : `Circled: no other variant is more accurate beyond noise. Latency is left out of this front, as out of the recommendation: ${blind}.`,
    },
  ];
}

interface Placed {
  readonly h: Headline;
  readonly x: number;
  readonly y: number;
  readonly yLow: number;
  readonly yHigh: number;
}

/** The points with their front, judged on accuracy and on `xDimension` (accuracy alone when it is undefined). */
function withFront(
  headlines: readonly Headline[], gold: RowValues | undefined, xDimension: Dimension | undefined, xOf: (h: Headline) => number | undefined,
): ChartPoint[] {
  const placed = headlines.flatMap((h): Placed[] => {
    const x = xOf(h);
    const m = h.metric;
    return x === undefined || m === undefined ? [] : [{ h, x, y: m.value * 100, yLow: m.ci95Low * 100, yHigh: m.ci95High * 100 }];
  });
  const dimensions: Dimension[] = xDimension === undefined ? ['accuracy'] : [xDimension, 'accuracy'];
  const judged = dimensions.map((d): Comparator<Placed> => {
    const order = judgedOrder(gold, d);
    return (a, b) => order(a.h, b.h);
  });
  const front = new Set(paretoFrontWith(placed, judged));
  return placed.map((p) => ({ x: p.x, y: p.y, yLow: p.yLow, yHigh: p.yHigh, label: p.h.variant.id, series: p.h.variant.model, onFront: front.has(p) }));
}
