import type { Recommendation } from './conclusions.js';
import type { VariantDeployment } from './deployment-types.js';
import type { DeviceLatency, Env } from './environment.js';
import type { LatencyPoint, MemoryFacts } from './facts.js';

/**
 * The report fields of runs beyond one machine: a partial report's place in its sharded run
 * (`albench compare --shard K/N`), and the hardware matrix `albench merge` builds from many reports.
 */

/** Where and when a run measured: what tells shards that ran at once on one machine. */
export interface RunWindow {
  /** When the run began and ended (ISO 8601); latencies were measured in between. */
  readonly startedAt: string;
  readonly finishedAt: string;
  /**
   * A digest naming the machine: its kernel's boot id where it has one (containers on one node
   * share it, so pods of a Kubernetes Job on one node count as one machine), else its host name.
   */
  readonly machine: string;
}

/** A partial report: shard `index` (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of `count`. */
export interface ShardInfo extends RunWindow {
  readonly index: number;
  readonly count: number;
  /** Every model label of the whole run, in the order given; this shard's slice may hold fewer. */
  readonly models: readonly string[];
}

/** One report that went into a merged report. */
export interface MatrixPart {
  /** Index into HardwareMatrix.environments. */
  readonly env: number;
  readonly shard?: { readonly index: number; readonly count: number };
  /** Absent for an unsharded report, which records no run window. */
  readonly window?: RunWindow;
  readonly variantIds: readonly string[];
}

/** A completed variant's latency and memory as one environment measured them. */
export interface MatrixCell {
  readonly variantId: string;
  readonly env: number;
  readonly latency: readonly LatencyPoint[];
  readonly memory: MemoryFacts;
  /** Every device's timing in this environment, as the variant's latencyByDevice, when it timed more than one. */
  readonly latencyByDevice?: readonly DeviceLatency[];
  /** The variant's deployment figures as this environment measured them, when it measured any. */
  readonly deployment?: VariantDeployment;
}

/** The same variant file run in several environments: equal predictions, or a runtime that computes differently. */
export interface AccuracyAgreement {
  readonly variantId: string;
  /** The variant file's sha256 where every environment recorded the same one. */
  readonly fileSha256?: string;
  readonly envs: readonly number[];
  readonly agrees: boolean;
  readonly detail: string;
}

/**
 * What `albench merge` adds: each distinct environment (CPU model and flags, execution provider,
 * threads, onnxruntime), the reports it came from, every variant's latency and memory per
 * environment, the recommendation per environment, and the cross-environment accuracy check.
 * The report's own `env`, latencies and recommendation are those of environments[0].
 */
export interface HardwareMatrix {
  readonly environments: readonly Env[];
  readonly parts: readonly MatrixPart[];
  readonly cells: readonly MatrixCell[];
  readonly recommendations: ReadonlyArray<{ readonly env: number; readonly recommendation: Recommendation }>;
  readonly accuracy: readonly AccuracyAgreement[];
  /** Environments whose latencies must not be compared with each other, and why (shards that ran at once on one machine). */
  readonly latencyNotComparable: ReadonlyArray<{ readonly env: number; readonly reason: string }>;
}
