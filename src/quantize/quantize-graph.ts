import { OnnxError } from '../errors.js';
import { ensureOpset, isStandardDomain, QUANTIZED_OPS } from '../onnx/graph-ops.js';
import type { Initializer, OnnxModel, OnnxNode } from '../onnx/model.js';
import { GraphContext } from './context.js';
import { storeVectorsAsFloat16 } from './float16-vectors.js';
import type { QuantizeOptions } from './options.js';
import { planQuantization } from './plan.js';

export interface QuantizedNode { readonly name: string; readonly opType: string; readonly as: readonly string[] }

export interface GraphQuantization {
  readonly model: OnnxModel;
  readonly quantized: readonly QuantizedNode[];
  /** Nodes a rule would have taken but --exclude kept in float. */
  readonly excluded: readonly string[];
}

export function assertNotQuantized(model: OnnxModel, file: string): void {
  const q = model.graph.nodes.find((n) => QUANTIZED_OPS.has(n.opType));
  if (q !== undefined) {
    throw new OnnxError(file, `is already quantized (node ${q.name} is ${q.opType}); quantize the float model (onnx/model.onnx) instead`);
  }
}

/** Keeps initializers some node still reads, in their original order, then the new ones. */
function liveInitializers(nodes: readonly OnnxNode[], original: readonly Initializer[], added: readonly Initializer[]): Initializer[] {
  const read = new Set(nodes.flatMap((n) => n.inputs));
  return [...original, ...added].filter((i) => read.has(i.name));
}

/**
 * Rewrites every node a rule accepts and passes the rest through. The input model is not
 * changed; the result shares its untouched initializers.
 */
export function quantizeGraph(model: OnnxModel, options: QuantizeOptions, file: string): GraphQuantization {
  assertNotQuantized(model, file);
  const { index, rewrites, excluded } = planQuantization(model, options);
  const ctx = new GraphContext(index, options, (n) => rewrites.has(n));
  const rewritten: OnnxNode[][] = [];
  const quantized: QuantizedNode[] = [];
  for (const node of model.graph.nodes) {
    const planned = rewrites.get(node);
    if (planned === undefined) {
      rewritten.push([node]);
      continue;
    }
    const nodes = planned.rewrite(ctx);
    quantized.push({ name: node.name, opType: node.opType, as: [...new Set(nodes.map((n) => n.opType))] });
    rewritten.push(nodes);
  }
  const nodes = rewritten.flat().filter((n) => !ctx.isAbsorbed(n));
  const domains = new Set(nodes.map((n) => n.domain).filter((d) => !isStandardDomain(d)));
  const used = model.opsets.filter((o) => isStandardDomain(o.domain) || domains.has(o.domain));
  const opsets = [...domains].reduce<OnnxModel['opsets']>((o, d) => ensureOpset(o, d), used);
  const live = liveInitializers(nodes, model.graph.initializers, ctx.added);
  const originals = new Set(model.graph.initializers.map((i) => i.name));
  const final = options.float16Vectors ? storeVectorsAsFloat16(nodes, live, originals) : { nodes, initializers: live };
  return {
    model: { ...model, opsets, graph: { ...model.graph, ...final } },
    quantized,
    excluded,
  };
}
