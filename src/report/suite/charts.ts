import { paretoFrontWith } from '../verdicts/pareto.js';
import type { SuiteReport, SuiteRow } from '../model/suite-types.js';
import type { ChartPoint, ChartSpec } from '../render/svg-chart.js';
import { judgeRows, suiteNoise, type SuiteDimension, type SuiteNoise } from './noise.js';

/** A row's place on one chart: GLUE average against the mean of a cost figure over its task models; the front judged as the recommendation judges. */
function pointsOf(rows: readonly SuiteRow[], noise: SuiteNoise, x: SuiteDimension, xOf: (r: SuiteRow) => number | undefined): ChartPoint[] {
  const placed = rows.flatMap((r) => {
    const at = xOf(r);
    return at === undefined || r.glueAverage === undefined ? [] : [{ r, x: at, y: r.glueAverage * 100 }];
  });
  const judged = ([x, 'accuracy'] as const).map((d) => (a: typeof placed[0], b: typeof placed[0]) => judgeRows(noise, d, a.r, b.r).order);
  const front = new Set(paretoFrontWith(placed, judged));
  return placed.map((p) => ({ x: p.x, y: p.y, label: p.r.id, series: p.r.family, onFront: front.has(p) }));
}

/** What the ring means: the suite's recommendation's rule, on the chart's two figures. */
const FRONT_CAPTION = 'Circled: no other row is better on one axis and not worse on the other, differences within noise counting as ties'
  + ' (the GLUE average by a paired bootstrap over the tasks\' rows, latency by the tasks\' between-round noise), as the suite\'s recommendation'
  + ' compares them.';

/** report.html's two charts: the GLUE average against mean file size and against mean p50 latency, each with its Pareto front. */
export function suiteCharts(report: SuiteReport): ChartSpec[] {
  const series = report.families.map((f) => f.id);
  const yLabel = 'GLUE average (x100, this suite\'s tasks)';
  const grid = `b${report.settings.batchSizes[0] ?? '?'} s${report.settings.sequenceLengths[0] ?? '?'}`;
  const noise = suiteNoise(report.taskReports);
  return [
    {
      id: 'glue-vs-size', title: 'GLUE average vs file size', xLabel: 'ONNX file size, mean over the task models (MB)', yLabel,
      xFromZero: true, series, points: pointsOf(report.rows, noise, 'size', (r) => (r.meanSizeBytes === undefined ? undefined : r.meanSizeBytes / 1e6)),
      caption: FRONT_CAPTION,
    },
    {
      id: 'glue-vs-latency', title: `GLUE average vs latency (p50 at ${grid})`, xLabel: `p50 at ${grid}, mean over the task models (ms)`, yLabel,
      xFromZero: true, series, points: pointsOf(report.rows, noise, 'latency', (r) => r.meanP50Ms), caption: FRONT_CAPTION,
    },
  ];
}
