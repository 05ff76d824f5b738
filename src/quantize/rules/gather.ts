import { makeNode } from '../../onnx/graph-nodes.js';
import type { OnnxNode } from '../../onnx/model.js';
import { lowerBlockGather } from '../block-lowering.js';
import type { MatchContext } from '../context.js';
import { defineRule } from '../rule.js';
import { EMBEDDING_SCHEME, quantizedWeight } from '../weights.js';

interface EmbeddingPlan { readonly node: OnnxNode; readonly table: string; readonly V: number; readonly E: number; readonly indices: string }

function embedding(ctx: MatchContext, node: OnnxNode): EmbeddingPlan | null {
  const [table, indices] = node.inputs;
  const axis = node.attributes['axis'];
  if (table === undefined || indices === undefined || ctx.initializer(indices) !== undefined) return null;
  if (axis !== undefined && !(axis.kind === 'int' && axis.value === 0)) return null;
  const t = ctx.initializer(table);
  if (t === undefined || t.dtype !== 'float32' || t.shape.length !== 2) return null;
  return { node, table, V: t.shape[0] as number, E: t.shape[1] as number, indices };
}

/**
 * Embedding lookups (word, position, token type) with --embeddings: the table is stored int8 with
 * one symmetric scale and the gathered rows are dequantized, which costs a few rows' work per
 * token; with 4-bit weights it is GatherBlockQuantized over 4-bit blocks of each row.
 */
export const gatherRule = defineRule<EmbeddingPlan>({
  opType: 'Gather',
  match(node, ctx) {
    return ctx.options.embeddings ? embedding(ctx, node) : null;
  },
  rewrite(e, ctx) {
    const { node, indices } = e;
    const output = node.outputs[0] ?? '';
    if (ctx.options.bits === 4) return lowerBlockGather(ctx, node, e.table, e.V, e.E, indices, output);
    const q = quantizedWeight(ctx, e.table, e.V, e.E, EMBEDDING_SCHEME, null);
    const gathered = ctx.fresh(`${output}_quantized`);
    return [
      makeNode('Gather', node.name, [q.data, indices], [gathered], node.attributes),
      makeNode('DequantizeLinear', `${node.name}_dequantize`, [gathered, q.scale, q.zeroPoint], [output]),
    ];
  },
});
