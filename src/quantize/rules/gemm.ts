import { attrFloat, attrInt } from '../../onnx/graph-attributes.js';
import type { OnnxNode } from '../../onnx/model.js';
import type { MatchContext } from '../context.js';
import { linearRule, type LinearMatch } from '../lower.js';
import { matrixShape } from '../weights.js';

function linearOf(ctx: MatchContext, node: OnnxNode): LinearMatch | null {
  const [input, weight, bias] = node.inputs;
  if (input === undefined || weight === undefined || ctx.initializer(input) !== undefined) return null;
  // Only the plain linear layer: alpha, beta 1 and no transposed input.
  if ((attrInt(node, 'transA') ?? 0) !== 0 || (attrFloat(node, 'alpha') ?? 1) !== 1 || (attrFloat(node, 'beta') ?? 1) !== 1) return null;
  const shape = matrixShape(ctx, weight);
  if (shape === null) return null;
  const transposed = (attrInt(node, 'transB') ?? 0) === 1;
  const [K, N] = transposed ? [shape[1], shape[0]] : shape;
  let biasName: string | null = null;
  if (bias !== undefined && bias !== '') {
    const t = ctx.initializer(bias);
    if (t === undefined || t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== N) return null;
    biasName = bias;
  }
  return { linear: { node, input, weight, K, N, transposed, bias: biasName, output: node.outputs[0] ?? '' }, absorbs: null };
}

/** Gemm with a constant weight: the pooler, the classifier and the (tied) MLM decoder. */
export const gemmRule = linearRule('Gemm', linearOf);
