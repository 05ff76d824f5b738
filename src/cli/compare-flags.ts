import type { ShardSpec } from '../compare/shard.js';
import type { DeploymentFlags } from './deployment-flags.js';

/** compare's options as commander parses them, before they become CompareOptions. */
export interface CompareFlags extends DeploymentFlags {
  variants: string; task: string; data: string; limit?: number; sample?: number; seed: number; batch: string; seq: string; device: string;
  threads?: number; warmup: number; time?: number; rounds: number; reuseTimings?: boolean;
  maxSize?: number; maxLatency?: number; minAccuracy?: number; maxDrop?: number;
  reports: string; name?: string; cache: string | false; quiet?: boolean; fullPaths?: boolean; float32Vectors?: boolean;
  suite?: string; family: string[]; transformersJs: boolean;
  shard?: ShardSpec;
}
