import type { OnnxNode } from '../onnx/model.js';
import { lowerNBits } from './block-lowering.js';
import type { MatchContext, QuantContext } from './context.js';
import { lowerDynamicInteger, lowerDynamicQdq, lowerStaticQdq, type Linear } from './linear.js';
import { defineRule, type Rule } from './rule.js';

/** How a linear is lowered under the options, decided when it is matched. */
type Lowering =
  | { readonly kind: 'nbits' | 'dynamic-integer' | 'dynamic-qdq' }
  | { readonly kind: 'static-qdq'; readonly range: { readonly min: number; readonly max: number } };

/** The lowering the options ask for; null in static mode when the input has no calibrated range. */
function loweringFor(ctx: MatchContext, input: string): Lowering | null {
  const o = ctx.options;
  if (o.bits === 4) return { kind: 'nbits' };
  if (o.activations.kind === 'static') {
    const range = ctx.range(input);
    return range === undefined ? null : { kind: 'static-qdq', range };
  }
  return { kind: o.format === 'qdq' ? 'dynamic-qdq' : 'dynamic-integer' };
}

function lowerLinear(ctx: QuantContext, l: Linear, lowering: Lowering): OnnxNode[] {
  switch (lowering.kind) {
    case 'nbits': return lowerNBits(ctx, l);
    case 'static-qdq': return lowerStaticQdq(ctx, l, lowering.range);
    case 'dynamic-qdq': return lowerDynamicQdq(ctx, l);
    case 'dynamic-integer': return lowerDynamicInteger(ctx, l);
  }
}

/** A node read as one linear layer, and the node folded into it (MatMul's bias Add), if any. */
export interface LinearMatch { readonly linear: Linear; readonly absorbs: OnnxNode | null }

interface LinearPlan extends LinearMatch { readonly lowering: Lowering }

/** The rule for an op that is one linear layer: `linearOf` reads it, null when it is not a plain constant-weight linear. */
export function linearRule(opType: string, linearOf: (ctx: MatchContext, node: OnnxNode) => LinearMatch | null): Rule {
  return defineRule<LinearPlan>({
    opType,
    match(node, ctx) {
      const m = linearOf(ctx, node);
      const lowering = m === null ? null : loweringFor(ctx, m.linear.input);
      return m === null || lowering === null ? null : { ...m, lowering };
    },
    rewrite(p, ctx) {
      if (p.absorbs !== null) ctx.absorb(p.absorbs);
      return lowerLinear(ctx, p.linear, p.lowering);
    },
    calibratedInputs: (p) => [p.linear.input],
  });
}
