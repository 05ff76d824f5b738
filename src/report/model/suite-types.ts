/**
 * The suite report `albench compare --suite` writes: model families x variants x GLUE tasks, as
 * plain data, with each task's own v2 Report embedded. Every number carries its unit in its name;
 * metric values and averages are fractions like Report's. Bump SUITE_SCHEMA_VERSION on any
 * incompatible change and keep suite-json-schema.ts in step.
 */
import type { GlueTaskId } from '../../glue/tasks.js';
import type { MetricResult, PairedDifference, Recommendation, Report, Settings, SubsetSetting, VariantName } from './types.js';

export const SUITE_SCHEMA_VERSION = 1;

export interface SuiteTaskSetting {
  readonly task: GlueTaskId;
  /** GLUE's name for it (SST-2, MNLI-m, ...). */
  readonly name: string;
  readonly subset: SubsetSetting;
  /** The task's official metrics, whose mean is its score (MRPC: accuracy and F1). */
  readonly metrics: readonly string[];
}

export interface SuiteFamily {
  /** The name the suite gives it (bert, albert, ...). */
  readonly id: string;
  /** From the checkpoints' config.json; absent when none of them could be read. */
  readonly modelType?: 'bert' | 'albert';
  /** One checkpoint per task: the label compare gave it (bundled name, hub id or folder base name). */
  readonly checkpoints: ReadonlyArray<{ readonly task: GlueTaskId; readonly model: string }>;
}

export interface TaskCell {
  readonly task: GlueTaskId;
  readonly state: 'completed' | 'failed';
  /** The official metrics, each with n and its 95% interval. */
  readonly metrics: readonly MetricResult[];
  /** Mean of the official metrics (a fraction); absent when failed or a metric is undefined. */
  readonly score?: number;
  readonly sizeBytes?: number;
  /** p50 at the first grid point. */
  readonly p50Ms?: number;
  readonly peakRssBytes?: number;
  /** This variant's task score minus its family's fp32's, in points; with the paired test of the first metric. */
  readonly scoreDeltaVsFp32Points?: number;
  readonly differenceVsFp32?: PairedDifference;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface SuiteRow {
  /** `<family>/<variant>`, unique in the report. */
  readonly id: string;
  readonly family: string;
  readonly variant: VariantName;
  /** In the order of SuiteReport.tasks. */
  readonly cells: readonly TaskCell[];
  /** By averageRule; absent unless every task has a score. */
  readonly glueAverage?: number;
  /** By paperAverageRule; absent unless every entry it needs has a value. */
  readonly paperStyleAverage?: number;
  readonly meanSizeBytes?: number;
  readonly meanP50Ms?: number;
  /** glueAverage minus the family's fp32's, in points. */
  readonly glueDeltaVsFp32Points?: number;
}

/** An ALBERT-vs-BERT statement on the GLUE average, tested with the suite's own figures. */
export interface SuiteClaim {
  /** Stable: `<claim kind>:<variant>`, e.g. `glue-cost:int8-dynamic`. */
  readonly id: string;
  readonly claim: string;
  /** 'indistinguishable': the difference the claim rests on is within the noise (a paired bootstrap, the tasks' round spreads). */
  readonly verdict: 'supported' | 'not supported' | 'indistinguishable' | 'not measured';
  readonly evidence: string;
}

/** A compare run's settings less its task and subset, which each of SuiteReport.tasks sets. */
export type SuiteSettings = Omit<Settings, 'task' | 'subset'>;

/** One compare run of a suite: one family's checkpoint on one task, and the report compare wrote for it (schema version 2). */
export interface SuiteRunReport {
  readonly family: string;
  readonly task: GlueTaskId;
  readonly report: Report;
}

/** A partial suite report: shard `index` (0-based) of `count`, holding only the (family, task) compare runs of its slice. */
export interface SuiteShard {
  readonly index: number;
  readonly count: number;
  /** This shard's runs; the rows' cells of every other run read NOT_RUN until albench merge joins the shards. */
  readonly runs: ReadonlyArray<{ readonly family: string; readonly task: GlueTaskId }>;
}

export interface SuiteReport {
  readonly suiteSchemaVersion: typeof SUITE_SCHEMA_VERSION;
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly name: string;
  readonly settings: SuiteSettings;
  readonly tasks: readonly SuiteTaskSetting[];
  readonly families: readonly SuiteFamily[];
  /** How glueAverage is computed, in words. */
  readonly averageRule: string;
  /** How paperStyleAverage is computed, in words. */
  readonly paperAverageRule: string;
  readonly rows: readonly SuiteRow[];
  /** On the GLUE average, mean file size and mean latency; variantIds are row ids. */
  readonly recommendation: Recommendation;
  readonly claims: readonly SuiteClaim[];
  /** Each (family, task) compare run's own report. */
  readonly taskReports: readonly SuiteRunReport[];
  /** Present on a partial report written by compare --suite --shard K/N. */
  readonly shard?: SuiteShard;
}
