import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { UsageError } from '../errors.js';
import type { ShardInfo } from '../report/model/matrix-types.js';
import type { ClaimCheck, Report, VariantName } from '../report/model/types.js';

/** `--shard K/N`: this run is shard K (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of N. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !(count >= 1) || !(index < count)) {
    throw new UsageError(`--shard "${text}": give K/N with 0 <= K < N (K is 0-based, as Kubernetes' JOB_COMPLETION_INDEX), e.g. 0/3`);
  }
  return { index, count };
}

interface WorkPair {
  readonly modelIndex: number;
  readonly variant: VariantName;
}

/** Shard K of N of `items`: N contiguous runs in the order given, whose lengths differ by at most one. */
export function shardSlice<T>(items: readonly T[], shard: ShardSpec): T[] {
  const from = Math.floor((shard.index * items.length) / shard.count);
  const to = Math.floor(((shard.index + 1) * items.length) / shard.count);
  return items.slice(from, to);
}

/**
 * The (model, variant) pairs of shard K of N: shardSlice of the pairs in the order given (models,
 * then each model's variants). It depends on the arguments alone, so every machine computes the
 * same slice; contiguous runs keep a model's variants together, so each model is converted by as few
 * shards as possible (a shard converts every model its slice touches, since every variant is made
 * from the fp32 conversion).
 */
export function shardPairs(modelCount: number, variants: readonly VariantName[], shard: ShardSpec): WorkPair[] {
  const pairs = Array.from({ length: modelCount }, (_, modelIndex) => variants.map((variant) => ({ modelIndex, variant }))).flat();
  return shardSlice(pairs, shard);
}

/** The variants of model `modelIndex` a run makes: all of them unsharded, else those of its slice. */
export function variantsOf(modelIndex: number, modelCount: number, variants: readonly VariantName[], shard: ShardSpec | undefined): VariantName[] {
  if (shard === undefined) return [...variants];
  return shardPairs(modelCount, variants, shard).filter((p) => p.modelIndex === modelIndex).map((p) => p.variant);
}

/**
 * A digest naming this machine: the kernel's boot id where Linux has one (containers on one node
 * share it), else the host name. A digest, since reports are shared and the name is not theirs to publish.
 */
export function machineDigest(): string {
  let id = os.hostname();
  try {
    id = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || id;
  } catch {
    // Not Linux, or no /proc: the host name stands for the machine.
  }
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

const partialNote = (s: ShardInfo): string => `Partial report (shard ${s.index}/${s.count}, 0-based): drawn from this shard's variants only`;

/** A shard's report: its place in the run, with the recommendation and claims labelled as drawn from its slice alone. */
export function partialReport(report: Report, shard: ShardInfo): Report {
  const claims = report.claims.map((c): ClaimCheck => ({ ...c, evidence: `${c.evidence} (${partialNote(shard).toLowerCase()})` }));
  const recommendation = { ...report.recommendation, reason: `${partialNote(shard)}; albench merge gives the whole run's. ${report.recommendation.reason}` };
  return { ...report, recommendation, claims, shard };
}
