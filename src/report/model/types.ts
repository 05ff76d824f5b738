/**
 * The report `albench compare` writes, as plain data: renderers (Markdown, HTML, CSV), the
 * recommendation and `albench regress` all read this and nothing else. Every number carries its
 * unit in its name. Bump REPORT_SCHEMA_VERSION on any incompatible change and keep
 * json-schema.ts (the JSON Schema) in step.
 */
import type { ClaimCheck, Recommendation } from './conclusions.js';
import type { DeploymentRun, VariantDeployment } from './deployment-types.js';
import type { DeviceLatency, Env, TransformersJsCheck } from './environment.js';
import type { LatencyPoint, MemoryFacts } from './facts.js';
import type { HardwareMatrix, ShardInfo } from './matrix-types.js';

export type { ClaimCheck, ClaimId, Recommendation } from './conclusions.js';
export type { DeviceLatency, DeviceName, DeviceSetup, Env, SessionSettings, TransformersJsCheck } from './environment.js';
export { BROWSER_DEVICE_PREFIX, DEVICE_NAMES, isBrowserDevice, SESSION_BEFORE_RECORDED } from './environment.js';
export type { LatencyPoint, MemoryFacts } from './facts.js';
export type { DeploymentRun, VariantDeployment } from './deployment-types.js';

export const REPORT_SCHEMA_VERSION = 2;
/** What readReport accepts: version 1 reports lack predictions, gold, sourceDigest and paired differences. */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;
export type SchemaVersion = (typeof READABLE_SCHEMA_VERSIONS)[number];

export const VARIANT_NAMES = ['fp32', 'fp32-optimized', 'int8-dynamic', 'int8-static', 'int4', 'fp16', 'int8-auto'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/**
 * Which dev-set rows were scored; the same shape as `albench eval`'s --limit / --sample. With a
 * calibration slice (int8-static asked for on a task without a train split), those dev rows were
 * scored by no variant and calibrated on instead; the limit or sample counts the rows outside it.
 */
export type SubsetSetting = (
  | { readonly kind: 'all' }
  | { readonly kind: 'limit'; readonly limit: number }
  | { readonly kind: 'sample'; readonly size: number; readonly seed: number }
) & { readonly calibrationSlice?: { readonly size: number; readonly seed: number } };

export interface Settings {
  readonly task: string;
  readonly subset: SubsetSetting;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly variants: readonly VariantName[];
  readonly warmupIterations: number;
  readonly constraints: Constraints;
}

export interface Constraints {
  readonly maxSizeBytes?: number;
  /** Applies to the mean per request at the real inputs when every completed variant has one measured, else to the p50 of the first grid point. */
  readonly maxLatencyMs?: number;
  /** On the headline metric (the task's score), as a fraction like MetricResult.value (0.8 = 80%). */
  readonly minAccuracy?: number;
  /** int8-auto's budget: at most this many points below fp32 (checked on a train sample). */
  readonly maxDropPoints?: number;
}

export interface ModelFacts {
  /** A short, stable label: the bundled name, the hub id (@revision when pinned), or the folder's base name, made unique. */
  readonly id: string;
  /** `bundled: models/<name>`, `<hub id>@<commit>`, or `folder: <label>` (the absolute path only with compare --full-paths). */
  readonly source: string;
  /**
   * sha256 over the checkpoint files' own sha256s (name and hash, sorted by name): what regress
   * matches models by, so relabelling a model keeps it the same. Version 2; absent in version 1.
   */
  readonly sourceDigest?: string;
  readonly modelType: 'bert' | 'albert';
  readonly hiddenSize: number;
  readonly embeddingSize: number;
  readonly layers: number;
  readonly groups: number;
  readonly params: { readonly unique: number; readonly executed: number };
}

export interface MetricResult {
  /** 'accuracy', 'f1', 'mcc', 'pearson', ... */
  readonly key: string;
  /** A fraction (0.8 = 80%; correlations in [-1, 1]); renderers show it x100, as GLUE does. */
  readonly value: number;
  readonly examples: number;
  readonly ci95Low: number;
  readonly ci95High: number;
  /** Share of examples whose prediction equals the fp32 variant's (1 for fp32 itself). */
  readonly agreementWithFp32?: number;
  /** The paired test of this value against the same model's fp32 variant (version 2; absent for fp32 itself). */
  readonly differenceVsFp32?: PairedDifference;
}

/**
 * Per evaluated dev row, in evaluation order: `rows` are 0-based indices into the dev split's
 * examples; `labels` are task class ids (classification), `scores` numbers (regression, STS-B).
 * Exactly one of the two is present.
 */
export interface RowValues {
  readonly rows: readonly number[];
  readonly labels?: readonly number[];
  readonly scores?: readonly number[];
}

interface DifferenceBase {
  /** This variant's value minus the other's, as a fraction like MetricResult.value. */
  readonly difference: number;
  /** Rows both variants were scored on. */
  readonly examples: number;
  /** Rows where the two predictions differ. */
  readonly predictionsDiffering: number;
  /** p < 0.05 (McNemar), or a 95% interval that excludes 0 (bootstrap); otherwise the two are indistinguishable. */
  readonly significant: boolean;
}

/** Accuracy (the score of every task but CoLA, MRPC, QQP and STS-B): exact two-sided McNemar test on per-row correctness. */
export interface McNemarDifference extends DifferenceBase {
  readonly test: 'mcnemar';
  readonly onlyThisCorrect: number;
  readonly onlyOtherCorrect: number;
  readonly pValue: number;
}

/** Any score but accuracy (MCC, accuracy-and-F1, Pearson-and-Spearman): seeded paired bootstrap of the score's difference. */
export interface BootstrapDifference extends DifferenceBase {
  readonly test: 'paired-bootstrap';
  /** The metric resampled (the headline's key); absent in reports written before the bootstrap tested any score but Pearson's r. */
  readonly metric?: string;
  /** Two-sided bootstrap p-value, below 0.05 exactly when the 95% interval excludes 0; absent in reports written before it. */
  readonly pValue?: number;
  readonly ci95Low: number;
  readonly ci95High: number;
  readonly resamples: number;
  readonly seed: number;
}

export type PairedDifference = McNemarDifference | BootstrapDifference;

interface VariantBase {
  /** `<model id>/<variant>`, unique in the report. */
  readonly id: string;
  readonly model: string;
  readonly variant: VariantName;
}

export interface CompletedVariant extends VariantBase {
  readonly state: 'completed';
  readonly file: string;
  readonly sizeBytes: number;
  readonly params: { readonly unique: number; readonly executed: number };
  readonly metrics: readonly MetricResult[];
  readonly latency: readonly LatencyPoint[];
  readonly memory: MemoryFacts;
  /** What the variant predicted for each evaluated row (version 2; absent in version 1 reports). */
  readonly predictions?: RowValues;
  /** How the variant was made from fp32, in words (e.g. attention fused, embedding tables int8); absent for fp32. */
  readonly recipe?: readonly string[];
  /** int8-auto only: what the accuracy-aware search measured and kept in float. */
  readonly autoQuant?: AutoQuantSummary;
  /** The variant file's sha256: what merge matches the same file across machines by (version 2; absent in older reports). */
  readonly fileSha256?: string;
  /** Every device's timing, in env.devices' order, when more than one device was timed (the first repeats `latency`). */
  readonly latencyByDevice?: readonly DeviceLatency[];
  /** Classification tasks: whether transformers.js loads it and agrees with albench's predictions. */
  readonly transformersJs?: TransformersJsCheck;
  /** Cost at the real inputs, cold start and throughput under load, when compare measured them (--deployment). */
  readonly deployment?: VariantDeployment;
}

export interface FailedVariant extends VariantBase {
  readonly state: 'failed';
  readonly error: { readonly code: string; readonly message: string };
}

export type VariantResult = CompletedVariant | FailedVariant;

export interface Report {
  /** compare writes REPORT_SCHEMA_VERSION; readReport also accepts version 1. */
  readonly schemaVersion: SchemaVersion;
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly env: Env;
  readonly settings: Settings;
  readonly models: readonly ModelFacts[];
  readonly variants: readonly VariantResult[];
  /** The gold labels or scores of the evaluated rows (version 2; absent when nothing was evaluated). */
  readonly gold?: RowValues;
  readonly recommendation: Recommendation;
  readonly claims: readonly ClaimCheck[];
  /** A partial report, one shard of a run (compare --shard); its recommendation and claims cover its slice only. */
  readonly shard?: ShardInfo;
  /** A report albench merge built from several: the environments, their latencies and recommendations. */
  readonly matrix?: HardwareMatrix;
  /** What compare --deployment (--real-inputs, --cold-start, --load) was asked to measure, and each model's real-input sample. */
  readonly deployment?: DeploymentRun;
}

/** One quantizable group as the sensitivity scan measured it: this group alone quantized, every other in float. */
export interface GroupSensitivityRow {
  readonly label: string;
  /** query, key, value, qkv (packed), attention-output, ffn-in, ffn-out, embeddings, pooler, classifier, other. */
  readonly role: string;
  /** Encoder layers that run it; more than one for ALBERT's shared layer (one weight, one group). */
  readonly layers: readonly number[];
  readonly weight: string;
  /** Bytes the file grows by when it stays in float. */
  readonly bytesAdded: number;
  /** Mean KL(fp32 || variant) of the logits with only this group quantized, nats per example. */
  readonly divergence: number;
  /** The sample metric with only this group quantized (a fraction). */
  readonly metric: number;
  readonly keptInFloat: boolean;
}

/** The accuracy-aware search behind int8-auto: budget, what it measured on the train sample, what it kept. */
export interface AutoQuantSummary {
  readonly recipe: string;
  readonly metricKey: string;
  readonly sample: { readonly split: 'train'; readonly examples: number; readonly seed: number };
  readonly budget: { readonly maxDropPoints?: number; readonly minMetric?: number; readonly targetMetric: number };
  /** On the train sample. */
  readonly fp32Metric: number;
  readonly allQuantizedMetric: number;
  readonly finalMetric: number;
  readonly allQuantizedDivergence: number;
  readonly finalDivergence: number;
  readonly keptBytesAdded: number;
  readonly candidates: number;
  readonly searchSeconds: number;
  readonly groups: readonly GroupSensitivityRow[];
}
