import { albertClaims } from '../verdicts/claims.js';
import { accuracyAgreement } from './accuracy.js';
import { checkMergeable, type MergeInput } from './check.js';
import { mergedDeployment } from './deployment.js';
import { checkCoverage, concurrentRuns, groupByEnv, partsOf, type EnvGroup } from './groups.js';
import type { HardwareMatrix, MatrixCell } from '../model/matrix-types.js';
import { withAgreementWithFp32 } from '../verdicts/agreement.js';
import { withDifferencesVsFp32 } from '../verdicts/paired.js';
import { recommend } from '../verdicts/recommend.js';
import type { ClaimCheck, ModelFacts, Report, VariantResult } from '../model/types.js';

export type { MergeInput } from './check.js';

/** Model labels in the run's order: the shards' own list where there is one, then first appearance. */
function modelOrder(inputs: readonly MergeInput[]): string[] {
  const order: string[] = [...(inputs.find((i) => i.report.shard !== undefined)?.report.shard?.models ?? [])];
  for (const { report } of inputs) for (const v of report.variants) if (!order.includes(v.model)) order.push(v.model);
  return order;
}

/** The models' facts, one per label, in the run's order. */
function mergedModels(inputs: readonly MergeInput[], order: readonly string[]): ModelFacts[] {
  const byId = new Map<string, ModelFacts>();
  for (const { report } of inputs) for (const m of report.models) if (!byId.has(m.id)) byId.set(m.id, m);
  return order.flatMap((id) => { const m = byId.get(id); return m === undefined ? [] : [m]; });
}

/** Each variant's copy per environment, keyed by id, in the run's order (model, then the variants asked for). */
type Copies = Map<string, Array<{ env: number; variant: VariantResult }>>;

function copiesById(groups: readonly EnvGroup[], order: readonly string[], variantNames: readonly string[]): Copies {
  const copies: Copies = new Map();
  for (const model of order) for (const name of variantNames) copies.set(`${model}/${name}`, []);
  groups.forEach((g, env) => {
    for (const { report } of g.inputs) {
      for (const variant of report.variants) copies.set(variant.id, [...(copies.get(variant.id) ?? []), { env, variant }]);
    }
  });
  for (const [id, list] of copies) if (list.length === 0) copies.delete(id);
  return copies;
}

/** Recomputed over the whole run: a shard without its model's fp32 had no agreement or paired test to give. */
function withFp32Figures(variants: readonly VariantResult[], gold: Report['gold']): VariantResult[] {
  const bare = variants.map((v): VariantResult => {
    if (v.state !== 'completed') return v;
    return { ...v, metrics: v.metrics.map((m) => { const { agreementWithFp32: _a, differenceVsFp32: _d, ...rest } = m; return rest; }) };
  });
  return [...withDifferencesVsFp32({ ...(gold === undefined ? {} : { gold }), variants: withAgreementWithFp32(bare) })];
}

/** The variants as environment `env` measured them: its latency, memory and deployment figures, or its failure. */
function variantsIn(env: number, merged: readonly VariantResult[], copies: Copies): VariantResult[] {
  return merged.map((v) => {
    const own = copies.get(v.id)?.find((c) => c.env === env)?.variant;
    if (own === undefined) return v;
    if (own.state === 'failed' || v.state === 'failed') return own;
    const { deployment: _chosen, ...rest } = v;
    return { ...rest, latency: own.latency, memory: own.memory, ...(own.deployment === undefined ? {} : { deployment: own.deployment }) };
  });
}

function notComparableClaim(c: ClaimCheck, reason: string | undefined): ClaimCheck {
  if (reason === undefined || c.id !== 'faster-inference' || c.verdict === 'not measured') return c;
  return { ...c, verdict: 'not comparable', evidence: `${c.evidence} Not judged: ${reason}.` };
}

/**
 * `albench merge`: the shards of a run, and the same run on other machines, as one report. Every
 * accuracy figure is the run's own (recomputed over all variants); latency and memory stay per
 * environment in `matrix`, with a recommendation per environment. The report's top-level latencies,
 * recommendation and environment are those of the first environment (the first report's).
 */
export function mergeReports(inputs: readonly MergeInput[], now: Date = new Date()): Report {
  checkMergeable(inputs);
  const first = (inputs[0] as MergeInput).report;
  const variantNames = first.settings.variants;
  const groups = groupByEnv(inputs);
  checkCoverage(groups, variantNames);
  const order = modelOrder(inputs);
  const models = mergedModels(inputs, order);
  const copies = copiesById(groups, order, variantNames);
  const gold = inputs.find((i) => i.report.gold !== undefined)?.report.gold;
  const chosen = [...copies.values()].map((list) => (list.find((c) => c.variant.state === 'completed') ?? list[0])?.variant as VariantResult);
  const merged = withFp32Figures(chosen, gold);
  const parts = partsOf(groups);
  const latencyNotComparable = concurrentRuns(parts);
  const caveat = (env: number) => latencyNotComparable.find((c) => c.env === env)?.reason;
  const perEnv = groups.map((_, env) => variantsIn(env, merged, copies));
  const recommendations = perEnv.map((variants, env) => {
    const reason = caveat(env);
    return { env, recommendation: recommend(variants, first.settings.constraints, gold, reason === undefined ? {} : { latencyNotComparable: reason }) };
  });
  const cells = [...copies].flatMap(([variantId, list]) => list.flatMap(({ env, variant }): MatrixCell[] =>
    (variant.state === 'completed' ? [{
      variantId, env, latency: variant.latency, memory: variant.memory,
      ...(variant.latencyByDevice === undefined ? {} : { latencyByDevice: variant.latencyByDevice }),
      ...(variant.deployment === undefined ? {} : { deployment: variant.deployment }),
    }] : [])));
  const accuracy = [...copies].flatMap(([variantId, list]) => {
    const completed = list.flatMap((c) => (c.variant.state === 'completed' ? [{ env: c.env, variant: c.variant }] : []));
    return new Set(completed.map((c) => c.env)).size < 2 ? [] : [accuracyAgreement(variantId, completed)];
  });
  const matrix: HardwareMatrix = { environments: groups.map((g) => g.env), parts, cells, recommendations, accuracy, latencyNotComparable };
  const variants = perEnv[0] ?? merged;
  const figures = { models, variants, ...(gold === undefined ? {} : { gold }) };
  return {
    schemaVersion: first.schemaVersion,
    albenchVersion: first.albenchVersion,
    createdAt: now.toISOString(),
    env: first.env,
    settings: first.settings,
    ...figures,
    recommendation: recommendations[0]?.recommendation ?? first.recommendation,
    claims: albertClaims(figures).map((c) => notComparableClaim(c, caveat(0))),
    matrix,
    ...mergedDeployment(inputs.map((i) => i.report)),
  };
}
