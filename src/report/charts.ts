import { completedHeadlines, samePoint, type Headline } from './figures.js';
import { gridLabel } from './format.js';
import { paretoFront } from './pareto.js';
import type { Report } from './types.js';
import type { ChartPoint, ChartSpec } from './svg-chart.js';

/**
 * The two trade-off charts of report.html: accuracy against file size and against p50 latency at
 * the first grid point. Each marks its own two-figure Pareto front, which is what the eye checks
 * in a plane (the recommendation's front uses all three figures at once).
 */
export function tradeoffCharts(report: Pick<Report, 'models' | 'variants'>): ChartSpec[] {
  const headlines = completedHeadlines(report.variants).filter((h) => h.metric !== undefined);
  const series = report.models.map((m) => m.id);
  const metricKey = headlines[0]?.metric?.key ?? 'accuracy';
  const yLabel = `${metricKey} (${metricKey === 'accuracy' || metricKey === 'f1' ? '%' : 'x100'})`;
  const firstPoint = headlines.find((h) => h.point !== undefined)?.point;
  const grid = firstPoint === undefined ? 'no latency measured' : `p50 at ${gridLabel(firstPoint)}`;
  return [
    {
      id: 'accuracy-vs-size', title: `${metricKey} vs file size`, xLabel: 'ONNX file size (MB)', yLabel,
      xFromZero: true, series, points: withFront(headlines, (h) => h.variant.sizeBytes / 1e6),
    },
    {
      id: 'accuracy-vs-latency', title: `${metricKey} vs latency (${grid})`, xLabel: `latency, ${grid} (ms)`, yLabel,
      xFromZero: true, series,
      points: withFront(headlines, (h) => (firstPoint === undefined ? undefined : h.variant.latency.find((p) => samePoint(p, firstPoint))?.p50Ms)),
    },
  ];
}

function withFront(headlines: readonly Headline[], xOf: (h: Headline) => number | undefined): ChartPoint[] {
  const placed = headlines.flatMap((h) => {
    const x = xOf(h);
    const m = h.metric;
    return x === undefined || m === undefined ? [] : [{ h, x, y: m.value * 100, yLow: m.ci95Low * 100, yHigh: m.ci95High * 100 }];
  });
  const front = new Set(paretoFront(placed, [(p) => p.x, (p) => -p.y]));
  return placed.map((p) => ({ x: p.x, y: p.y, yLow: p.yLow, yHigh: p.yHigh, label: p.h.variant.id, series: p.h.variant.model, onFront: front.has(p) }));
}
