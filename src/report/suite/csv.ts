import { csvField } from '../render/csv.js';
import type { SuiteReport } from '../model/suite-types.js';

/** report.csv of a suite: one row per family x variant x task x official metric, raw figures in the header's units (RFC 4180, CRLF). */
const COLUMNS = [
  'family', 'variant', 'row_id', 'task', 'state', 'metric', 'value_fraction', 'ci95_low_fraction', 'ci95_high_fraction', 'examples',
  'task_score_fraction', 'score_delta_vs_fp32_points', 'paired_test', 'paired_p_value', 'paired_significant',
  'size_bytes', 'p50_ms', 'peak_rss_bytes', 'glue_average_fraction', 'paper_style_average_fraction', 'error_message',
] as const;

type Row = Partial<Record<(typeof COLUMNS)[number], string | number | undefined>>;

export function renderSuiteCsv(report: SuiteReport): string {
  const rows: Row[] = report.rows.flatMap((r) => r.cells.flatMap((c) => {
    const d = c.differenceVsFp32;
    const common: Row = {
      family: r.family, variant: r.variant, row_id: r.id, task: c.task, state: c.state,
      task_score_fraction: c.score, score_delta_vs_fp32_points: c.scoreDeltaVsFp32Points,
      paired_test: d?.test, paired_p_value: d?.test === 'mcnemar' ? d.pValue : undefined,
      paired_significant: d === undefined ? undefined : String(d.significant),
      size_bytes: c.sizeBytes, p50_ms: c.p50Ms, peak_rss_bytes: c.peakRssBytes,
      glue_average_fraction: r.glueAverage, paper_style_average_fraction: r.paperStyleAverage, error_message: c.error?.message,
    };
    if (c.metrics.length === 0) return [common];
    return c.metrics.map((m) => ({
      ...common, metric: m.key, value_fraction: m.value, ci95_low_fraction: m.ci95Low, ci95_high_fraction: m.ci95High, examples: m.examples,
    }));
  }));
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))].map((line) => `${line}\r\n`).join('');
}
