import type { DeviceName, PairedDifference, SessionSettings } from '../report/model/types.js';
import type { TransformersJsLoad } from '../model-folder/layout.js';
import type { DifferenceInterval } from '../report/verdicts/non-inferiority.js';
import type { DeployTarget } from '../report/verdicts/targets.js';

/** deployment.json: what `albench deploy` chose, how to load it, and the evidence. Bump on incompatible change; keep manifest-schema.ts in step. */
export const DEPLOYMENT_SCHEMA_VERSION = 1;
export const DEPLOYMENT_FILE = 'deployment.json';

export interface ExpectedLatency {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface DeploymentManifest {
  readonly deploymentSchemaVersion: typeof DEPLOYMENT_SCHEMA_VERSION;
  readonly albenchVersion: string;
  readonly createdAt: string;
  readonly target: DeployTarget;
  /** The report's device the choice was judged on. */
  readonly device: DeviceName;
  readonly variant: {
    readonly id: string;
    readonly model: string;
    readonly variant: string;
    /** Relative to the folder, `/`-separated. */
    readonly file: string;
    readonly fileSha256: string;
    readonly sizeBytes: number;
  };
  readonly runtime: {
    readonly name: 'onnxruntime-node' | 'transformers.js';
    /** The runtime and version the report measured with, as its environment records it. */
    readonly measuredWith: string;
  };
  /** The settings to create the session with: compare --tune's choice on the device when the report has one, else those compare timed with. */
  readonly session: SessionSettings & {
    readonly executionProvider: 'cpu' | 'cuda' | 'wasm' | 'webgpu';
    /** `tuned`: chosen by compare --tune for this variant and device; `timed`: the settings the report's latencies were timed with. */
    readonly settingsFrom: 'tuned' | 'timed';
    /** transformers.js only: the from_pretrained options that load the file. */
    readonly transformersJs?: TransformersJsLoad;
  };
  readonly expected: {
    /** From nothing to the first prediction, the median run; null when the report did not measure it. */
    readonly coldStartMs: number | null;
    /** One request at a time at the task's real inputs; null when not measured on this device. */
    readonly realInputs: ExpectedLatency | null;
    /** The latency grid's first point (smallest batch and sequence). */
    readonly gridFirstPoint: ExpectedLatency & { readonly batchSize: number; readonly sequenceLength: number };
    /** With the tuned settings at the same point, from compare --tune's measurement rounds; null when the session was not tuned. */
    readonly tuned: (ExpectedLatency & { readonly batchSize: number; readonly sequenceLength: number }) | null;
    /** The best pool's throughput within the load test's p99 bound; null when not measured. */
    readonly underLoad: {
      readonly workers: number;
      readonly threadsPerWorker: number;
      readonly throughputRequestsPerSecond: number | null;
      readonly p99BoundMs: number;
      /** Latency (queueing included) at the highest rate within the bound; null when even the first rate was over it. */
      readonly atThroughput: ExpectedLatency | null;
    } | null;
  };
  readonly accuracy: {
    readonly metric: string;
    readonly value: number;
    readonly examples: number;
    readonly ci95Low: number;
    readonly ci95High: number;
    /** Against the model's fp32; null for fp32 itself and for reports without paired differences. */
    readonly vsFp32: { readonly test: PairedDifference; readonly interval: DifferenceInterval } | null;
  };
  readonly constraints: {
    readonly maxSizeMb?: number;
    readonly maxDropPoints?: number;
    readonly p99BoundMs?: number;
  };
  readonly reason: string;
  readonly report: { readonly path: string; readonly sha256: string };
}
