import type { OnnxModel, OnnxNode } from '../onnx/model.js';

/**
 * Drops nodes nothing downstream of the graph outputs reads, then initializers no remaining node
 * reads; order is kept, so the graph stays topologically sorted.
 */
export function pruneDead(model: OnnxModel): OnnxModel {
  const g = model.graph;
  const live = new Set(g.outputs.map((o) => o.name));
  const kept: OnnxNode[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i] as OnnxNode;
    if (!n.outputs.some((o) => live.has(o))) continue;
    kept.push(n);
    for (const input of n.inputs) live.add(input);
  }
  kept.reverse();
  return { ...model, graph: { ...g, nodes: kept, initializers: g.initializers.filter((i) => live.has(i.name)) } };
}
