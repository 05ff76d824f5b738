/**
 * The report `albench compare` writes, as plain data: renderers (Markdown, HTML, CSV), the
 * recommendation and `albench regress` all read this and nothing else. Every number carries its
 * unit in its name. Bump REPORT_SCHEMA_VERSION on any incompatible change and keep
 * report-schema.ts (the JSON Schema) in step.
 */
export const REPORT_SCHEMA_VERSION = 1;

export type VariantName = 'fp32' | 'fp32-optimized' | 'int8-dynamic' | 'int8-static' | 'int4' | 'fp16';

export interface Env {
  readonly cpuModel: string;
  /** e.g. avx2, avx512f, avx512_vnni, avx_vnni — the ones that decide which int8 kernels run. */
  readonly cpuFlags: readonly string[];
  readonly logicalCores: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly onnxruntime: string;
  readonly device: 'cpu' | 'cuda';
  readonly executionProvider: string;
  readonly threads: number;
}

export interface Settings {
  readonly task: string;
  /** 'all' or e.g. {kind: 'sample', size: 200, seed: 0}. */
  readonly subset: unknown;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
  readonly variants: readonly VariantName[];
  readonly warmupIterations: number;
  readonly constraints: Constraints;
}

export interface Constraints {
  readonly maxSizeBytes?: number;
  /** Applies to the p50 of the first grid point (smallest batch and sequence). */
  readonly maxLatencyMs?: number;
  readonly minAccuracy?: number;
}

export interface ModelFacts {
  /** What the user typed: `bert`, a folder, a hub id. */
  readonly id: string;
  readonly source: string;
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
  readonly value: number;
  readonly examples: number;
  readonly ci95Low: number;
  readonly ci95High: number;
  /** Share of examples whose prediction equals the fp32 variant's (1 for fp32 itself). */
  readonly agreementWithFp32?: number;
}

export interface LatencyPoint {
  readonly batchSize: number;
  readonly sequenceLength: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly stdevMs: number;
  /** Relative margin of error of the mean, in percent (tinybench's rme). */
  readonly rmePercent: number;
  readonly samples: number;
  readonly flops: number;
  readonly achievedGflopsPerSecond: number;
}

export interface MemoryFacts {
  readonly peakRssAfterLoadBytes: number;
  readonly peakRssAfterRunsBytes: number;
}

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
}

export interface FailedVariant extends VariantBase {
  readonly state: 'failed';
  readonly error: { readonly code: string; readonly message: string };
}

export type VariantResult = CompletedVariant | FailedVariant;

export interface Recommendation {
  /** Variant ids: one best variant under the constraints, or the Pareto set when none were given. */
  readonly variantIds: readonly string[];
  readonly reason: string;
}

/** The ALBERT-vs-BERT claims, tested with this run's own figures. */
export interface ClaimCheck {
  readonly claim: string;
  readonly verdict: 'supported' | 'not supported' | 'not measured';
  readonly evidence: string;
}

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly env: Env;
  readonly settings: Settings;
  readonly models: readonly ModelFacts[];
  readonly variants: readonly VariantResult[];
  readonly recommendation: Recommendation;
  readonly claims: readonly ClaimCheck[];
}
