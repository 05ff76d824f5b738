import type { GlueTaskId } from '../../glue/tasks.js';
import { ALBENCH_VERSION } from '../../version.js';
import { GLUE_AVERAGE_RULE, glueAverage, mean, officialMetrics, PAPER_AVERAGE_RULE, paperStyleAverage, taskScore } from './average.js';
import { suiteClaims } from './claims.js';
import { suiteNoise } from './noise.js';
import { suiteRecommendation } from './recommend.js';
import {
  SUITE_SCHEMA_VERSION, type SuiteFamily, type SuiteReport, type SuiteRow, type SuiteRunReport, type SuiteSettings, type SuiteTaskSetting, type TaskCell,
} from '../model/suite-types.js';
import { headlineMetric } from '../model/figures.js';
import type { CompletedVariant, VariantName, VariantResult } from '../model/types.js';

export interface SuiteInputs {
  readonly name: string;
  readonly settings: SuiteSettings;
  readonly tasks: readonly SuiteTaskSetting[];
  readonly families: readonly string[];
  readonly runs: readonly SuiteRunReport[];
}

function completedCell(task: GlueTaskId, v: CompletedVariant, fp32: VariantResult | undefined): TaskCell {
  const metrics = officialMetrics(task).flatMap((key) => v.metrics.filter((m) => m.key === key));
  const score = taskScore(task, metrics);
  const fp32Score = fp32?.state === 'completed' ? taskScore(task, fp32.metrics) : undefined;
  const difference = headlineMetric(v.metrics)?.differenceVsFp32;
  const p50Ms = v.latency[0]?.p50Ms;
  return {
    task, state: 'completed', metrics,
    ...(score === undefined ? {} : { score }),
    sizeBytes: v.sizeBytes,
    ...(p50Ms === undefined ? {} : { p50Ms }),
    peakRssBytes: v.memory.peakRssAfterRunsBytes,
    ...(v.variant !== 'fp32' && score !== undefined && fp32Score !== undefined ? { scoreDeltaVsFp32Points: (score - fp32Score) * 100 } : {}),
    ...(difference === undefined ? {} : { differenceVsFp32: difference }),
  };
}

function cellOf(run: SuiteRunReport | undefined, task: GlueTaskId, variant: VariantName): TaskCell {
  const v = run?.report.variants.find((r) => r.variant === variant);
  if (v === undefined) return { task, state: 'failed', metrics: [], error: { code: 'NOT_RUN', message: `${variant} was not run on ${task}` } };
  if (v.state === 'failed') return { task, state: 'failed', metrics: [], error: v.error };
  return completedCell(task, v, run?.report.variants.find((r) => r.variant === 'fp32'));
}

/** Averages need every task; a row missing one has none, rather than an average over fewer tasks. */
function rowOf(family: string, variant: VariantName, cells: readonly TaskCell[]): Omit<SuiteRow, 'glueDeltaVsFp32Points'> {
  const scored = cells.flatMap((c) => (c.score === undefined ? [] : [{ task: c.task, score: c.score }]));
  const all = scored.length === cells.length && cells.length > 0;
  const glue = all ? glueAverage(scored) : undefined;
  const paper = cells.every((c) => c.state === 'completed') ? paperStyleAverage(cells) : undefined;
  const sizes = cells.flatMap((c) => (c.sizeBytes === undefined ? [] : [c.sizeBytes]));
  const latencies = cells.flatMap((c) => (c.p50Ms === undefined ? [] : [c.p50Ms]));
  return {
    id: `${family}/${variant}`, family, variant, cells,
    ...(glue === undefined ? {} : { glueAverage: glue }),
    ...(paper === undefined ? {} : { paperStyleAverage: paper }),
    ...(all && sizes.length === cells.length ? { meanSizeBytes: mean(sizes) } : {}),
    ...(all && latencies.length === cells.length ? { meanP50Ms: mean(latencies) } : {}),
  };
}

function familyOf(id: string, runs: readonly SuiteRunReport[]): SuiteFamily {
  const own = runs.filter((r) => r.family === id);
  const modelType = own.flatMap((r) => r.report.models.map((m) => m.modelType))[0];
  return {
    id, ...(modelType === undefined ? {} : { modelType }),
    checkpoints: own.map((r) => ({ task: r.task, model: r.report.models[0]?.id ?? r.report.variants[0]?.model ?? '' })),
  };
}

/**
 * The suite report: per family x variant, each task's official metrics, both GLUE averages, cost
 * figures and the differences against the family's fp32, then the recommendation and the ALBERT
 * claims on the GLUE average. Each run's own report is kept whole.
 */
export function assembleSuiteReport(inputs: SuiteInputs): SuiteReport {
  const { tasks, settings, runs } = inputs;
  const rows = inputs.families.flatMap((family) => {
    const familyRows = settings.variants.map((variant) => rowOf(family, variant, tasks.map((t) => {
      const run = runs.find((r) => r.family === family && r.task === t.task);
      return cellOf(run, t.task, variant);
    })));
    const fp32 = familyRows.find((r) => r.variant === 'fp32')?.glueAverage;
    return familyRows.map((r): SuiteRow => (r.variant === 'fp32' || fp32 === undefined || r.glueAverage === undefined
      ? r : { ...r, glueDeltaVsFp32Points: (r.glueAverage - fp32) * 100 }));
  });
  const families = inputs.families.map((id) => familyOf(id, runs));
  const noise = suiteNoise(runs);
  return {
    suiteSchemaVersion: SUITE_SCHEMA_VERSION,
    albenchVersion: ALBENCH_VERSION,
    createdAt: new Date().toISOString(),
    name: inputs.name,
    settings,
    tasks,
    families,
    averageRule: GLUE_AVERAGE_RULE,
    paperAverageRule: PAPER_AVERAGE_RULE,
    rows,
    recommendation: suiteRecommendation(rows, settings.constraints, noise),
    claims: suiteClaims(families, rows, noise),
    taskReports: runs,
  };
}
