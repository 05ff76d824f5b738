import { safeLines } from '../../util/safe-text.js';
import { DEPLOYMENT_COLUMNS, deploymentCells } from './deployment-csv.js';
import { envLabel, envName } from './env-labels.js';
import type { HardwareMatrix, MatrixCell } from '../model/matrix-types.js';
import type {
  CompletedVariant, DeviceLatency, DeviceName, LatencyPoint, MemoryFacts, Report, VariantDeployment, VariantResult,
} from '../model/types.js';

/**
 * report.csv for spreadsheets: one row per variant per latency grid point (a failed variant, or one
 * without latency, gets one row), raw figures in the units the header names, RFC 4180 quoting and
 * CRLF line ends. A merged report has those rows once per environment of its matrix, named in the
 * env columns; they come last, and are empty on a plain report, so readers by position still work. A report with deployment
 * figures has their columns after those (deployment-csv.ts), empty where nothing was measured.
 */
const COLUMNS = [
  'model', 'variant', 'variant_id', 'state', 'size_bytes', 'params_unique', 'params_executed',
  'metric', 'metric_value_fraction', 'metric_ci95_low_fraction', 'metric_ci95_high_fraction', 'metric_examples', 'agreement_with_fp32_fraction',
  'batch_size', 'sequence_length', 'p50_ms', 'p90_ms', 'p99_ms', 'mean_ms', 'stdev_ms', 'rme_percent', 'latency_samples',
  'rounds', 'round_p50s_ms', 'spread_ms', 'measured_at', 'load_average_1m', 'reused',
  'flops', 'achieved_gflops_per_second', 'peak_rss_after_load_bytes', 'peak_rss_after_runs_bytes',
  'device', 'unsupported_op', 'device_note', 'transformers_js_state', 'transformers_js_dtype', 'transformers_js_agreement', 'transformers_js_examples',
  'error_code', 'error_message', 'env', 'env_label', 'env_note',
] as const;

type Column = (typeof COLUMNS)[number] | (typeof DEPLOYMENT_COLUMNS)[number];
type Row = Partial<Record<Column, string | number>>;

export function renderCsv(report: Pick<Report, 'variants' | 'matrix' | 'deployment'>): string {
  const m = report.matrix;
  const bound = report.deployment?.load?.p99BoundMs;
  const withDeployment = (v: VariantResult, d: VariantDeployment | undefined) => (r: Row): Row =>
    (v.state === 'completed' && r.state === 'completed' ? { ...r, ...deploymentCells(d, r.device as DeviceName | undefined, bound) } : r);
  const rows = m === undefined
    ? report.variants.flatMap((v) => rowsOf(v).map(withDeployment(v, v.state === 'completed' ? v.deployment : undefined)))
    : report.variants.flatMap((v) => m.environments.flatMap((_, env) => envRows(v, m, env)
      .map(withDeployment(v, m.cells.find((c) => c.variantId === v.id && c.env === env)?.deployment))));
  // Only a report that measured them has the deployment columns: any other reads byte for byte as before.
  const columns: readonly Column[] = report.deployment === undefined ? COLUMNS : [...COLUMNS, ...DEPLOYMENT_COLUMNS];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].map((line) => `${line}\r\n`).join('');
}

const commonFigures = (v: VariantResult): Row => ({ model: v.model, variant: v.variant, variant_id: v.id, state: v.state });

function rowsOf(v: VariantResult): Row[] {
  if (v.state === 'failed') return [{ ...commonFigures(v), error_code: v.error.code, error_message: v.error.message }];
  return timedRows({ ...commonFigures(v), ...variantFigures(v), ...transformersJsFigures(v) }, v);
}

/** A row per device and grid point, or per grid point, or one row when nothing was timed. */
function timedRows(base: Row, timing: Pick<MatrixCell, 'latency' | 'latencyByDevice'>): Row[] {
  if (timing.latencyByDevice !== undefined) return timing.latencyByDevice.flatMap((d) => deviceRows(base, d));
  if (timing.latency.length === 0) return [base];
  return timing.latency.map((p) => ({ ...base, ...pointFigures(p) }));
}

/** A merged report's environment columns: its name, what it ran on, and what to mind when reading the row. */
function envColumns(v: VariantResult, m: HardwareMatrix, env: number, timed: boolean, failedThere: boolean): Row {
  const notes = [
    ...(failedThere ? ["failed in this environment; its error is in that run's own report.json"] : []),
    ...(timed && env > 0 && m.accuracy.some((a) => a.variantId === v.id && !a.agrees)
      ? [`accuracy figures are ${envName(0)}'s, and the accuracy check found this variant differs across environments (see matrix.accuracy)`] : []),
    ...m.latencyNotComparable.filter((c) => c.env === env).map((c) => `latency not comparable: ${c.reason}`),
  ];
  const e = m.environments[env];
  return { env: envName(env), env_label: e === undefined ? '' : envLabel(e), env_note: notes.join('; ') };
}

/**
 * A merged report's rows for one environment: its own latency and memory (its matrix cell) beside
 * the run's accuracy and size. A variant that ran there without completing gets one failed row;
 * one that never ran there gets none.
 */
function envRows(v: VariantResult, m: HardwareMatrix, env: number): Row[] {
  const cell = m.cells.find((c) => c.variantId === v.id && c.env === env);
  if (cell !== undefined) {
    const figures = v.state === 'completed' ? { ...variantFigures(v), ...transformersJsFigures(v) } : {};
    const where = envColumns(v, m, env, true, false);
    return timedRows({ ...commonFigures(v), state: 'completed', ...figures, ...memoryFigures(cell.memory), ...where }, cell);
  }
  if (!m.parts.some((p) => p.env === env && p.variantIds.includes(v.id))) return [];
  // The top-level failure is the first environment's own; the merged report keeps no other environment's error.
  if (env === 0 && v.state === 'failed') return rowsOf(v).map((r) => ({ ...r, ...envColumns(v, m, env, false, false) }));
  return [{ ...commonFigures(v), state: 'failed', ...envColumns(v, m, env, false, true) }];
}

/**
 * With several devices, a row per device and grid point; a device that timed nothing gets one row:
 * the operator it lacks, or in device_note why the browser could not time it. A browser measures no memory.
 */
function deviceRows(base: Row, d: DeviceLatency): Row[] {
  const noMemory = { peak_rss_after_load_bytes: '', peak_rss_after_runs_bytes: '' };
  const device = { ...base, ...noMemory, device: d.device };
  switch (d.state) {
    case 'unsupported':
      return [{ ...device, unsupported_op: d.op }];
    case 'unavailable':
      return [{ ...device, device_note: `not available here: ${d.reason}` }];
    case 'failed':
      return [{ ...device, device_note: `failed: ${d.error}` }];
    case 'timed': {
      const memory = d.memory === null ? noMemory
        : { peak_rss_after_load_bytes: d.memory.peakRssAfterLoadBytes, peak_rss_after_runs_bytes: d.memory.peakRssAfterRunsBytes };
      return d.latency.map((p) => ({ ...device, ...memory, ...pointFigures(p) }));
    }
  }
}

function transformersJsFigures(v: CompletedVariant): Row {
  const c = v.transformersJs;
  if (c === undefined) return {};
  return {
    transformers_js_state: c.state, transformers_js_dtype: c.dtype ?? c.file ?? '',
    ...(c.agreement === undefined ? {} : { transformers_js_agreement: c.agreement }),
    ...(c.examples === undefined ? {} : { transformers_js_examples: c.examples }),
  };
}

function variantFigures(v: CompletedVariant): Row {
  const [m] = v.metrics;
  return {
    size_bytes: v.sizeBytes,
    params_unique: v.params.unique,
    params_executed: v.params.executed,
    ...(m === undefined ? {} : {
      metric: m.key, metric_value_fraction: m.value, metric_ci95_low_fraction: m.ci95Low, metric_ci95_high_fraction: m.ci95High,
      metric_examples: m.examples, ...(m.agreementWithFp32 === undefined ? {} : { agreement_with_fp32_fraction: m.agreementWithFp32 }),
    }),
    ...memoryFigures(v.memory),
  };
}

const memoryFigures = (m: MemoryFacts): Row => ({ peak_rss_after_load_bytes: m.peakRssAfterLoadBytes, peak_rss_after_runs_bytes: m.peakRssAfterRunsBytes });

function pointFigures(p: LatencyPoint): Row {
  return {
    batch_size: p.batchSize, sequence_length: p.sequenceLength,
    p50_ms: p.p50Ms, p90_ms: p.p90Ms, p99_ms: p.p99Ms, mean_ms: p.meanMs, stdev_ms: p.stdevMs, rme_percent: p.rmePercent,
    latency_samples: p.samples, rounds: p.rounds, round_p50s_ms: p.roundP50sMs.join(' '), spread_ms: p.spreadMs,
    measured_at: p.measuredAt, load_average_1m: p.loadAverage1m, reused: p.reused ? 'true' : 'false',
    flops: p.flops, achieved_gflops_per_second: p.achievedGflopsPerSecond,
  };
}

/**
 * RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. Text
 * (names, messages: from files) loses control characters and has its line breaks made CRLF, and
 * text a spreadsheet would run as a formula (= + - @ first) gets a leading quote, the usual
 * neutralisation; numbers are written as they are.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : neutralizeFormula(safeLines(value, '\r\n'));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
