import { makeNode } from '../../onnx/graph-nodes.js';
import { MS_DOMAIN } from '../../onnx/graph-ops.js';
import type { OnnxNode } from '../../onnx/model.js';
import type { MatchContext } from '../context.js';
import { dynamicQuantizeOnce } from '../linear.js';
import { defineRule } from '../rule.js';
import { matrixShape, quantizedWeight, weightScheme } from '../weights.js';

interface AttentionPlan {
  readonly node: OnnxNode;
  readonly input: string;
  /** Packed [K, N] QKV weight and [N] bias initializers. */
  readonly weight: string;
  readonly bias: string;
  /** '' when the node has none. */
  readonly mask: string;
  readonly K: number;
  readonly N: number;
}

/** The fused Attention `albench optimize` writes: input, packed [in, 3H] weight, [3H] bias, optional mask, nothing else. */
function attentionOf(ctx: MatchContext, node: OnnxNode): AttentionPlan | null {
  const [input, weight, bias, ...rest] = node.inputs;
  if (input === undefined || weight === undefined || bias === undefined || rest.length > 1 || ctx.initializer(input) !== undefined) return null;
  // Past state, rotary embedding, causal masking or unequal q/k/v widths: QAttention's CPU kernel takes none of them.
  if (Object.keys(node.attributes).some((a) => a !== 'num_heads' && a !== 'mask_filter_value')) return null;
  const shape = matrixShape(ctx, weight);
  const b = ctx.initializer(bias);
  if (shape === null || shape[1] % 3 !== 0 || b === undefined || b.dtype !== 'float32' || b.shape.join() !== String(shape[1])) return null;
  return { node, input, weight, bias, mask: rest[0] ?? '', K: shape[0], N: shape[1] };
}

/**
 * com.microsoft Attention -> QAttention, dynamic int8 only: the input is quantized to uint8 at run
 * time (the CPU kernel takes no int8 input), the packed QKV weight offline, once however many
 * shared ALBERT layers read it. QDQ, static and 4-bit modes leave Attention in float.
 */
export const attentionRule = defineRule<AttentionPlan>({
  opType: 'Attention',
  domain: MS_DOMAIN,
  match(node, ctx) {
    const o = ctx.options;
    return o.bits === 8 && o.format === 'qoperator' && o.activations.kind === 'dynamic' ? attentionOf(ctx, node) : null;
  },
  rewrite(a, ctx) {
    const out: OnnxNode[] = [];
    const x = dynamicQuantizeOnce(ctx, a, out);
    const w = quantizedWeight(ctx, a.weight, a.K, a.N, weightScheme(ctx.options), ctx.options.perChannel ? 1 : null);
    const { node } = a;
    const inputs = [x.q, w.data, a.bias, x.scale, w.scale, a.mask, x.zeroPoint, w.zeroPoint];
    out.push(makeNode('QAttention', node.name, inputs, node.outputs, node.attributes, MS_DOMAIN));
    return out;
  },
});
