import type { Measurement, OptimizedGraph, RuntimeSettings, StopRule } from './schema.js';

/** What bench.ts asks of one child process (one message, one reply, then the child exits). */
export type ChildJob =
  | {
      readonly job: 'optimized-graph';
      readonly modelFile: string;
      readonly runtime: RuntimeSettings;
      /** A fresh folder the child writes the optimised model into. */
      readonly workDir: string;
      /** false: on wasm only check the model loads there; CPU's optimised graph, which wasm reports, was read already. */
      readonly readGraph: boolean;
    }
  | {
      readonly job: 'measure';
      readonly modelFile: string;
      readonly runtime: RuntimeSettings;
      readonly batchSize: number;
      readonly sequenceLength: number;
      /** Token ids are drawn below this; the model's vocabulary size when known. */
      readonly tokenIdLimit: number;
      readonly warmupIterations: number;
      readonly stop: StopRule;
    };

/** 'load' failures mean the model or the device is unusable; 'run' failures belong to one grid point. */
export interface ChildFailure { readonly ok: false; readonly stage: 'load' | 'run'; readonly message: string }

interface ReplyPayloads {
  /** null when the job did not read the graph (readGraph false). */
  readonly 'optimized-graph': { readonly graph: OptimizedGraph | null };
  readonly measure: { readonly measurement: Measurement };
}

export type ChildReply<K extends ChildJob['job']> = ({ readonly ok: true } & ReplyPayloads[K]) | ChildFailure;
