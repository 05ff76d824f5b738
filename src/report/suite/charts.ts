import { paretoFront } from '../verdicts/pareto.js';
import type { SuiteReport, SuiteRow } from '../model/suite-types.js';
import type { ChartPoint, ChartSpec } from '../render/svg-chart.js';

/** A row's place on one chart: GLUE average against the mean of a cost figure over its task models. */
function pointsOf(rows: readonly SuiteRow[], xOf: (r: SuiteRow) => number | undefined): ChartPoint[] {
  const placed = rows.flatMap((r) => {
    const x = xOf(r);
    return x === undefined || r.glueAverage === undefined ? [] : [{ r, x, y: r.glueAverage * 100 }];
  });
  const front = new Set(paretoFront(placed, [(p) => p.x, (p) => -p.y]));
  return placed.map((p) => ({ x: p.x, y: p.y, label: p.r.id, series: p.r.family, onFront: front.has(p) }));
}

/**
 * What the ring means: the suite's recommendation compares its rows' means as they are, with no
 * noise rule for an average over tasks (its timings' spreads are not averaged), and so does the front.
 */
const FRONT_CAPTION = 'Circled: no other row is better on one axis and not worse on the other, on the plain means, as the suite\'s recommendation'
  + ' compares them (no noise rule applies to averages over tasks, so even a small difference counts).';

/** report.html's two charts: the GLUE average against mean file size and against mean p50 latency, each with its Pareto front. */
export function suiteCharts(report: SuiteReport): ChartSpec[] {
  const series = report.families.map((f) => f.id);
  const yLabel = 'GLUE average (x100, this suite\'s tasks)';
  const grid = `b${report.settings.batchSizes[0] ?? '?'} s${report.settings.sequenceLengths[0] ?? '?'}`;
  return [
    {
      id: 'glue-vs-size', title: 'GLUE average vs file size', xLabel: 'ONNX file size, mean over the task models (MB)', yLabel,
      xFromZero: true, series, points: pointsOf(report.rows, (r) => (r.meanSizeBytes === undefined ? undefined : r.meanSizeBytes / 1e6)),
      caption: FRONT_CAPTION,
    },
    {
      id: 'glue-vs-latency', title: `GLUE average vs latency (p50 at ${grid})`, xLabel: `p50 at ${grid}, mean over the task models (ms)`, yLabel,
      xFromZero: true, series, points: pointsOf(report.rows, (r) => r.meanP50Ms), caption: FRONT_CAPTION,
    },
  ];
}
