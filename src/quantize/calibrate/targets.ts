import type { OnnxModel } from '../../onnx/model.js';
import { GraphContext } from '../context.js';
import { excludeMatcher, type QuantizeOptions } from '../options.js';
import { QuantizerRegistry } from '../registry.js';
import { RULES } from '../rules/index.js';

/**
 * The activations a static quantization of `model` needs ranges for: the inputs of every node a
 * rule would rewrite (and --exclude leaves alone), in graph order, each once. Asked under dynamic
 * activations, since no node has a range yet.
 */
export function calibrationTargets(model: OnnxModel, options: QuantizeOptions): string[] {
  const registry = new QuantizerRegistry(RULES);
  const isExcluded = excludeMatcher(options.exclude);
  const dynamic: QuantizeOptions = { ...options, activations: { kind: 'dynamic' } };
  const ctx: GraphContext = new GraphContext(model, dynamic, (n) => !isExcluded(n.name) && (registry.ruleFor(n)?.shouldQuantize(n, ctx) ?? false));
  const targets = new Set<string>();
  for (const node of model.graph.nodes) {
    const rule = registry.ruleFor(node);
    if (rule === undefined || isExcluded(node.name) || !rule.shouldQuantize(node, ctx)) continue;
    for (const value of rule.calibratedInputs?.(node, ctx) ?? []) targets.add(value);
  }
  return [...targets];
}
