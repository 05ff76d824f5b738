import type { QuantizeOptions } from '../quantize/options.js';
import type { AutoQuantSummary } from '../report/model/types.js';
import { AccuracyBudgetError, describeBudget, type AccuracyBudget } from './budget.js';
import { bytesOf, type SearchOutcome } from './search.js';
import type { GroupSensitivity, SensitivityScan } from './sensitivity.js';
import type { TrainSample } from './train-sample.js';

interface SearchFacts {
  readonly recipe: string;
  readonly sample: TrainSample;
  readonly seed: number;
  readonly budget: AccuracyBudget;
  readonly target: number;
  readonly fp32Metric: number;
  readonly scan: SensitivityScan;
  readonly outcome: SearchOutcome;
}

export function recipeName(o: QuantizeOptions): string {
  if (o.bits === 4) return `4-bit weights (block ${o.blockSize})`;
  const scheme = `${o.weightType} weights${o.perChannel ? ' per channel' : ''}${o.embeddings ? ', int8 embeddings' : ''}`;
  return o.activations.kind === 'static' ? `static int8 (QDQ, ${scheme})` : `dynamic int8 (${o.format}, ${scheme})`;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export function summarize(f: SearchFacts & { readonly kept: readonly GroupSensitivity[]; readonly seconds: number }): AutoQuantSummary {
  const kept = new Set(f.kept);
  const { maxDropPoints, minMetric } = f.budget;
  return {
    recipe: f.recipe,
    metricKey: f.sample.metricKey,
    sample: { split: 'train', examples: f.sample.indices.length, seed: f.seed },
    budget: { ...(maxDropPoints === undefined ? {} : { maxDropPoints }), ...(minMetric === undefined ? {} : { minMetric }), targetMetric: f.target },
    fp32Metric: f.fp32Metric,
    allQuantizedMetric: f.scan.allQuantized.metric,
    finalMetric: f.outcome.score.metric,
    allQuantizedDivergence: f.scan.allQuantized.divergence,
    finalDivergence: f.outcome.score.divergence,
    keptBytesAdded: bytesOf(f.kept),
    // The scan's all-quantized candidate and each group alone, then the search's.
    candidates: 1 + f.scan.groups.length + f.outcome.candidates,
    searchSeconds: f.seconds,
    groups: f.scan.groups.map((g) => ({
      label: g.label, role: g.group.role, layers: g.group.layers, weight: g.group.weight, bytesAdded: g.bytesAdded,
      divergence: g.divergence, metric: g.metric, keptInFloat: kept.has(g),
    })),
  };
}

/** One line: the budget, what fp32 and the best candidate reached on the sample, and what to change. */
export function budgetRefusal(f: SearchFacts, maxFloatShare: number): AccuracyBudgetError {
  const on = `${f.sample.task.name} train sample (${f.sample.indices.length} examples, seed ${f.seed})`;
  const reached = `fp32 ${pct(f.fp32Metric)}, all quantized ${pct(f.scan.allQuantized.metric)}, best candidate ${pct(f.outcome.score.metric)}`;
  const limit = `keeping at most ${Math.round(maxFloatShare * 100)}% of quantization's savings in float`;
  return new AccuracyBudgetError(
    `cannot meet ${describeBudget(f.budget)} (${f.sample.metricKey} >= ${pct(f.target)}) on the ${on}: ${reached} ${limit}; `
    + 'allow a larger drop, or use a gentler recipe (--per-channel, another --method)',
  );
}
