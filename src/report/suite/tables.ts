import { envLine, subsetText } from '../model/describe.js';
import { mb, ms, points, signed } from '../../util/format.js';
import { testText } from '../verdicts/paired.js';
import type { SuiteReport, SuiteRow, SuiteTaskSetting, TaskCell } from '../model/suite-types.js';
import type { TextTable } from '../render/text-table.js';

/**
 * The suite report's tables as rows of text, shared by report.md and report.html: the results
 * table in the layout of the BERT and ALBERT papers (rows family/variant, columns tasks then the
 * averages), then per task the metrics with n and 95% interval and the difference against fp32,
 * then the cost figures.
 */
const SHORT: Readonly<Record<string, string>> = { accuracy: 'acc', f1: 'F1', mcc: 'MCC', pearson: 'Pearson', spearman: 'Spearman' };
const short = (key: string): string => SHORT[key] ?? key;

const taskHeader = (t: SuiteTaskSetting): string => `${t.name} (${t.metrics.map(short).join('/')})`;

function resultCell(c: TaskCell | undefined): string {
  if (c === undefined || c.state === 'failed') return 'failed';
  return c.metrics.map((m) => (Number.isFinite(m.value) ? points(m.value, 1) : 'undefined')).join('/');
}

const average = (x: number | undefined): string => (x === undefined ? '—' : points(x, 1));

export function resultsTable(report: SuiteReport): TextTable {
  const header = ['model', ...report.tasks.map(taskHeader), 'GLUE avg', 'paper-style avg', 'Δ GLUE vs fp32'];
  const rows = report.rows.map((r) => [
    r.id, ...r.cells.map(resultCell), average(r.glueAverage), average(r.paperStyleAverage),
    r.glueDeltaVsFp32Points === undefined ? '' : signed(r.glueDeltaVsFp32Points, 2),
  ]);
  return { header, rows, numeric: header.map((_, i) => i > 0) };
}

function metricText(c: TaskCell): string {
  return c.metrics.map((m) => `${short(m.key)} ${points(m.value)} (${points(m.ci95Low, 1)}–${points(m.ci95High, 1)})`).join('; ');
}

function deltaText(c: TaskCell): string {
  if (c.scoreDeltaVsFp32Points === undefined) return '';
  const test = c.differenceVsFp32 === undefined ? '' : ` (${testText(c.differenceVsFp32)}${c.differenceVsFp32.significant ? ', significant' : ''})`;
  return `${signed(c.scoreDeltaVsFp32Points, 2)}${test}`;
}

export function perTaskTable(report: SuiteReport): TextTable {
  const header = ['model', 'task', 'metrics, 95% interval', 'n', 'task score', 'Δ score vs fp32 (paired test)'];
  const rows = report.rows.flatMap((r: SuiteRow) => r.cells.map((c, i) => {
    const task = report.tasks[i]?.name ?? c.task;
    if (c.state === 'failed') return [r.id, task, `failed: ${c.error?.message ?? ''}`, '', '', ''];
    return [r.id, task, metricText(c), String(c.metrics[0]?.examples ?? ''), c.score === undefined ? 'undefined' : points(c.score), deltaText(c)];
  }));
  return { header, rows, numeric: [false, false, false, true, true, false] };
}

export function costTable(report: SuiteReport): TextTable {
  const header = ['model', 'task', 'size (MB)', 'p50 (ms)', 'peak RSS (MB)'];
  const rows = report.rows.flatMap((r) => r.cells.flatMap((c, i) => (c.state === 'failed' ? [] : [[
    r.id, report.tasks[i]?.name ?? c.task, c.sizeBytes === undefined ? '' : mb(c.sizeBytes), c.p50Ms === undefined ? '' : ms(c.p50Ms),
    c.peakRssBytes === undefined ? '' : mb(c.peakRssBytes, 1),
  ]])));
  return { header, rows, numeric: [false, false, true, true, true] };
}

/** What was run: tasks with their subsets, variants, the latency grid. */
export function suiteSettingsLine(report: SuiteReport): string {
  const s = report.settings;
  const tasks = report.tasks.map((t) => `${t.name} on ${subsetText(t.subset)}`).join('; ');
  return `Tasks: ${tasks}. Variants: ${s.variants.join(', ')}. Latency: p50 at batch ${s.batchSizes[0] ?? '?'}, sequence ${s.sequenceLengths[0] ?? '?'}`
    + ` (mean over the task models in the averages' cost columns). Families: ${report.families
      .map((f) => `${f.id} (${f.modelType ?? 'unknown type'}: ${f.checkpoints.map((c) => c.model).join(', ')})`).join('; ')}.`;
}

/** The machine of the first task run (every run of a suite is on the same one), the version and the time; the task reports sit in report.json. */
export function suiteEnvLine(report: SuiteReport): string {
  const first = report.taskReports[0]?.report;
  const machine = first === undefined ? `albench ${report.albenchVersion} · ${report.createdAt}` : envLine({ ...first, createdAt: report.createdAt });
  return `${machine} · each task's own report is in report.json (taskReports)`;
}
