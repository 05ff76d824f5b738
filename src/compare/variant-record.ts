import type { ConvertRecord } from '../convert/convert.js';
import { AlbenchError } from '../errors.js';
import type {
  DeviceLatency, FailedVariant, LatencyPoint, MemoryFacts, MetricResult, ModelFacts, RowValues, TransformersJsCheck, VariantDeployment, VariantName,
} from '../report/model/types.js';

/**
 * What passes between compare's phases. prepare turns each model x variant into a FailedVariant
 * or a PreparedVariant (converted, built, evaluated); time turns each PreparedVariant into a
 * TimedVariant or a FailedVariant; assemble turns those into the report's VariantResults. A
 * variant that fails in any phase keeps its reason and passes through the later ones untouched.
 */
export type VariantRecord = FailedVariant | PreparedVariant | TimedVariant;

/** A model's fp32 conversion, from which every variant of it is built. */
export interface ConvertedModel {
  readonly facts: ModelFacts;
  readonly fp32Dir: string;
  readonly params: ConvertRecord['params'];
  /** The conversion's cache key; each variant's key extends it. */
  readonly convertKey: unknown;
}

/** A variant's model folder and the graph in it to run. */
export interface VariantFiles {
  readonly dir: string;
  readonly modelFile: string;
}

/**
 * An evaluation as the step cache stores it: per evaluated dev row (`rows`, in evaluation order)
 * the prediction and the gold value, which the report keeps for its paired tests.
 */
export interface EvalFacts {
  readonly metrics: MetricResult[];
  readonly rows: number[];
  readonly predictions: number[];
  readonly gold: number[];
}

/** A timing as the step cache stores it. */
export interface BenchFacts {
  readonly latency: LatencyPoint[];
  readonly memory: MemoryFacts;
}

interface VariantIdentity {
  readonly id: string;
  readonly model: string;
  readonly variant: VariantName;
}

/** Built and evaluated, waiting to be timed. */
export interface PreparedVariant extends VariantIdentity {
  readonly state: 'prepared';
  readonly files: VariantFiles;
  readonly params: ConvertRecord['params'];
  /** Final metrics: the first carries the agreement with the model's fp32 variant, where that was evaluated. */
  readonly metrics: readonly MetricResult[];
  /** What it predicted per evaluated row, and the gold values of those rows. */
  readonly predictions: RowValues;
  readonly gold: RowValues;
  /** The variant's cache key: what its model file depends on. Its timing's key extends it. */
  readonly variantKey: unknown;
  /** How the variant was made, in words (variants.ts); fp32 has none. */
  readonly recipe?: readonly string[];
}

export interface TimedVariant extends Omit<PreparedVariant, 'state'> {
  readonly state: 'timed';
  /** The first device's timing (empty when its runtime lacks an operator). */
  readonly timing: BenchFacts;
  /** Every device's, in the order timed (the first is `timing`'s); the report keeps them when there is more than one. */
  readonly latencyByDevice: readonly DeviceLatency[];
  /** The sha256 of the timed model file (it keys the timings; the report records it). */
  readonly fileSha256: string;
  readonly transformersJs?: TransformersJsCheck;
  /** Cost at the real inputs, cold start and load, when asked for (time-deployment.ts). */
  readonly deployment?: VariantDeployment;
}

export function failedVariant(v: VariantIdentity, e: unknown): FailedVariant {
  return { id: v.id, model: v.model, variant: v.variant, state: 'failed', error: errorOf(e) };
}

function errorOf(e: unknown): { code: string; message: string } {
  if (e instanceof AlbenchError) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
