import { UsageError } from '../../errors.js';
import { envLabel } from '../render/env-labels.js';
import type { MergeInput } from './check.js';
import type { MatrixPart, RunWindow } from '../model/matrix-types.js';
import type { Env } from '../model/types.js';

/** The reports measured in one environment: the shards of one run, or one whole run. */
export interface EnvGroup {
  readonly env: Env;
  readonly inputs: readonly MergeInput[];
}

/** What makes two latencies the same hardware target: CPU model and flags, execution provider, threads, runtime version. */
function envKey(e: Env): string {
  return JSON.stringify([e.cpuModel, [...e.cpuFlags].sort(), e.device, e.executionProvider, e.threads, e.onnxruntime]);
}

export function groupByEnv(inputs: readonly MergeInput[]): EnvGroup[] {
  const groups = new Map<string, { env: Env; inputs: MergeInput[] }>();
  for (const input of inputs) {
    const key = envKey(input.report.env);
    const group = groups.get(key) ?? { env: input.report.env, inputs: [] };
    group.inputs.push(input);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Each environment must hold every (model, variant) pair of the run exactly once: shards of one
 * count, none missing, no variant measured twice. The shards' model lists say what the run held.
 */
export function checkCoverage(groups: readonly EnvGroup[], variantNames: readonly string[]): void {
  const problems: string[] = [];
  for (const g of groups) {
    const where = `environment ${envLabel(g.env)}`;
    const owner = new Map<string, string>();
    for (const input of g.inputs) {
      for (const v of input.report.variants) {
        const earlier = owner.get(v.id);
        if (earlier !== undefined) problems.push(`${where}: ${v.id} is in both ${earlier} and ${input.name}`);
        owner.set(v.id, input.name);
      }
    }
    const shards = g.inputs.flatMap((i) => (i.report.shard === undefined ? [] : [i.report.shard]));
    const counts = [...new Set(shards.map((s) => s.count))];
    if (counts.length > 1) problems.push(`${where}: shards of runs cut ${counts.join(' and ')} ways`);
    const [count] = counts;
    if (count !== undefined && counts.length === 1) {
      const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !shards.some((s) => s.index === k));
      if (missing.length > 0) problems.push(`${where}: shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${count}`).join(', ')} missing`);
    }
    const models = shards[0]?.models ?? [];
    const absent = models.flatMap((m) => variantNames.map((v) => `${m}/${v}`)).filter((id) => !owner.has(id));
    if (absent.length > 0 && problems.length === 0) problems.push(`${where}: ${absent.join(', ')} missing`);
  }
  if (problems.length > 0) throw new UsageError(`cannot merge these reports: ${problems.join('; ')}`);
}

export function partsOf(groups: readonly EnvGroup[]): MatrixPart[] {
  return groups.flatMap((g, env) => g.inputs.map((input): MatrixPart => {
    const s = input.report.shard;
    return {
      env,
      ...(s === undefined ? {} : {
        shard: { index: s.index, count: s.count }, window: { startedAt: s.startedAt, finishedAt: s.finishedAt, machine: s.machine },
      }),
      variantIds: input.report.variants.map((v) => v.id),
    };
  }));
}

const overlap = (a: RunWindow, b: RunWindow): boolean =>
  a.machine === b.machine && Date.parse(a.startedAt) < Date.parse(b.finishedAt) && Date.parse(b.startedAt) < Date.parse(a.finishedAt);

const partLabel = (p: MatrixPart): string => (p.shard === undefined ? 'a whole run' : `shard ${p.shard.index}/${p.shard.count}`);

/**
 * Environments whose latencies came from runs that overlapped in time on one machine: they competed
 * for its cores and memory bandwidth, so their latencies are not comparable as if timed side by side.
 */
export function concurrentRuns(parts: readonly MatrixPart[]): Array<{ env: number; reason: string }> {
  const out: Array<{ env: number; reason: string }> = [];
  for (const env of [...new Set(parts.map((p) => p.env))]) {
    const mine = parts.filter((p) => p.env === env && p.window !== undefined);
    const clashing = mine.filter((p) => parts.some((q) => q !== p && q.window !== undefined && p.window !== undefined && overlap(p.window, q.window)));
    if (clashing.length === 0) continue;
    const machine = clashing[0]?.window?.machine ?? '';
    out.push({
      env,
      reason: `${clashing.map(partLabel).join(', ')} ran at the same time on one machine (${machine}) as other runs,`
        + ' so their latencies were measured competing for its cores and are not comparable as if timed side by side',
    });
  }
  return out;
}
