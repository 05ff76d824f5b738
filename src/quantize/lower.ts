import type { OnnxNode } from '../onnx/model.js';
import { lowerDynamicInteger, lowerDynamicQdq, lowerStaticQdq, type Linear } from './linear.js';
import { lowerNBits } from './block-lowering.js';
import type { OpQuantizer, QuantContext } from './registry.js';

/** Whether the linear can be lowered under the options (static mode needs a calibrated input range). */
export function canLower(ctx: QuantContext, l: Pick<Linear, 'input'>): boolean {
  return ctx.options.activations.kind === 'dynamic' || ctx.options.bits === 4 || ctx.range(l.input) !== undefined;
}

/** Picks the lowering the options ask for. */
export function lowerLinear(ctx: QuantContext, l: Linear): OnnxNode[] {
  const o = ctx.options;
  if (o.bits === 4) return lowerNBits(ctx, l);
  const range = ctx.range(l.input);
  if (o.activations.kind === 'static') {
    if (range === undefined) throw new Error(`unreachable: ${l.node.name} has no calibrated range (canLower checks)`);
    return lowerStaticQdq(ctx, l, range);
  }
  return o.format === 'qdq' ? lowerDynamicQdq(ctx, l) : lowerDynamicInteger(ctx, l);
}

/**
 * The rule for an op that is one linear layer: `linearOf` reads it (null when it is not a
 * plain constant-weight linear), `absorbed` names a node folded into it (MatMul's bias Add).
 */
export function linearRule(
  opType: string,
  linearOf: (ctx: QuantContext, node: OnnxNode) => Linear | null,
  absorbed: (ctx: QuantContext, node: OnnxNode, l: Linear) => OnnxNode | null = () => null,
): OpQuantizer {
  return {
    opType,
    shouldQuantize(node, ctx) {
      const l = linearOf(ctx, node);
      return l !== null && canLower(ctx, l);
    },
    rewrite(node, ctx) {
      const l = linearOf(ctx, node);
      if (l === null) throw new Error(`unreachable: ${node.name} passed shouldQuantize`);
      const extra = absorbed(ctx, node, l);
      if (extra !== null) ctx.absorb(extra);
      return lowerLinear(ctx, l);
    },
    calibratedInputs(node, ctx) {
      const l = linearOf(ctx, node);
      return l === null ? [] : [l.input];
    },
  };
}
