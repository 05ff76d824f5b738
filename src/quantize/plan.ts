import { GraphIndex } from '../onnx/graph.js';
import type { OnnxModel, OnnxNode } from '../onnx/model.js';
import { GraphMatchContext } from './context.js';
import { excludeMatcher, type QuantizeOptions } from './options.js';
import { QuantizerRegistry, type PlannedRewrite } from './rule.js';
import { RULES } from './rules/index.js';

interface QuantizationPlan {
  readonly index: GraphIndex;
  /** Every node a rule matched and --exclude leaves alone, in graph order. */
  readonly rewrites: ReadonlyMap<OnnxNode, PlannedRewrite>;
  /** Nodes a rule would have taken but --exclude keeps in float. */
  readonly excluded: readonly string[];
}

/** Matches every rule against the original graph once; quantizeGraph and the calibration targets both start here. */
export function planQuantization(model: OnnxModel, options: QuantizeOptions): QuantizationPlan {
  const registry = new QuantizerRegistry(RULES);
  const isExcluded = excludeMatcher(options.exclude);
  const index = new GraphIndex(model);
  const ctx = new GraphMatchContext(index, options);
  const rewrites = new Map<OnnxNode, PlannedRewrite>();
  const excluded: string[] = [];
  for (const node of model.graph.nodes) {
    const planned = registry.ruleFor(node)?.plan(node, ctx) ?? null;
    if (planned === null) continue;
    if (isExcluded(node.name)) excluded.push(node.name);
    else rewrites.set(node, planned);
  }
  return { index, rewrites, excluded };
}
