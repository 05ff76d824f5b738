import type { OnnxNode } from '../../onnx/model.js';
import type { MatchContext } from '../context.js';
import { linearRule, type LinearMatch } from '../lower.js';
import { matrixShape } from '../weights.js';

/** The Add that follows a dense layer's MatMul, when it adds a constant [N] bias and nothing else reads the product. */
function biasAdd(ctx: MatchContext, node: OnnxNode, N: number): { add: OnnxNode; bias: string } | null {
  const out = node.outputs[0] ?? '';
  const readers = ctx.consumers(out);
  const add = readers[0];
  if (readers.length !== 1 || add === undefined || add.opType !== 'Add' || ctx.isGraphOutput(out)) return null;
  const bias = add.inputs.find((i) => i !== out);
  const t = bias === undefined ? undefined : ctx.initializer(bias);
  if (bias === undefined || t === undefined || t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== N) return null;
  return { add, bias };
}

function linearOf(ctx: MatchContext, node: OnnxNode): LinearMatch | null {
  const [input, weight] = node.inputs;
  if (input === undefined || weight === undefined || ctx.initializer(input) !== undefined) return null;
  const shape = matrixShape(ctx, weight);
  if (shape === null) return null;
  const [K, N] = shape;
  const folded = biasAdd(ctx, node, N);
  const output = folded?.add.outputs[0] ?? node.outputs[0] ?? '';
  return { linear: { node, input, weight, K, N, transposed: false, bias: folded?.bias ?? null, output }, absorbs: folded?.add ?? null };
}

/** MatMul with a constant [K, N] weight (every dense layer of the encoder); activation x activation MatMuls (attention) stay float. */
export const matmulRule = linearRule('MatMul', linearOf);
