import type { OnnxNode } from '../onnx/model.js';
import { lowerDynamicInteger, lowerDynamicQdq, lowerStaticQdq, type Linear } from './linear.js';
import { lowerNBits } from './block-lowering.js';
import type { QuantContext } from './registry.js';

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
