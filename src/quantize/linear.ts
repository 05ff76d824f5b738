import { makeNode } from '../onnx/graph-nodes.js';
import { MS_DOMAIN } from '../onnx/graph-ops.js';
import { attr, type OnnxNode } from '../onnx/model.js';
import { memoryTensor } from '../tensor.js';
import { qParams } from './linear-quant.js';
import type { QuantContext } from './context.js';
import { EMBEDDING_SCHEME, isQuantizedEmbedding, quantizedWeight, weightScheme, type QuantizedWeightNames } from './weights.js';

/** x @ W (+ bias) with a constant W: what the MatMul and Gemm rules both lower to. */
export interface Linear {
  /** The node being replaced; new node names derive from it. */
  readonly node: OnnxNode;
  readonly input: string;
  /** A float32 initializer, [K, N], or [N, K] when `transposed` (Gemm transB=1, the tied MLM decoder). */
  readonly weight: string;
  readonly K: number;
  readonly N: number;
  readonly transposed: boolean;
  /** A float32 [N] initializer added to the product, or null. */
  readonly bias: string | null;
  readonly output: string;
}

/**
 * The int8 weight as a [K, N] value. A transposed weight (Gemm transB) is quantized transposed
 * at write time, except the tied MLM decoder: it reads the embedding table's own int8 codes
 * through a Transpose that onnxruntime folds at load, so the table is stored once.
 */
function weightKN(ctx: QuantContext, l: Linear, out: OnnxNode[]): QuantizedWeightNames {
  const o = ctx.options;
  const axis = o.perChannel ? 1 : null;
  if (!l.transposed) return quantizedWeight(ctx, l.weight, l.K, l.N, weightScheme(o), axis);
  if (!isQuantizedEmbedding(ctx, l.weight)) return quantizedWeight(ctx, l.weight, l.K, l.N, weightScheme(o), axis, true);
  const q = quantizedWeight(ctx, l.weight, l.N, l.K, EMBEDDING_SCHEME, null);
  const data = ctx.fresh(`${q.data}_transposed`);
  out.push(makeNode('Transpose', `${l.node.name}_weight_transpose`, [q.data], [data], { perm: attr.ints([1, 0]) }));
  return { ...q, data };
}

/**
 * Dynamic int8, integer-operator form, spelled as onnxruntime runs it fastest (measured here; see
 * benchmarks/quantize-bench.ts): an input read by one quantized linear goes into
 * DynamicQuantizeMatMul; an input read by several (attention's query, key and value) is
 * quantized once by DynamicQuantizeLinear and each reads it through MatMulIntegerToFloat. Both
 * take the bias, so no separate Add remains.
 */
export function lowerDynamicInteger(ctx: QuantContext, l: Linear): OnnxNode[] {
  const out: OnnxNode[] = [];
  const w = weightKN(ctx, l, out);
  if (ctx.quantizedReaders(l.input) < 2) {
    out.push(makeNode('DynamicQuantizeMatMul', l.node.name, [l.input, w.data, w.scale, w.zeroPoint, l.bias ?? ''], [l.output], {}, MS_DOMAIN));
    return out;
  }
  const x = dynamicQuantizeOnce(ctx, l, out);
  out.push(makeNode('MatMulIntegerToFloat', l.node.name, [x.q, w.data, x.scale, w.scale, x.zeroPoint, w.zeroPoint, l.bias ?? ''], [l.output], {}, MS_DOMAIN));
  return out;
}

/** One DynamicQuantizeLinear per input value, emitted with its first reader (which follows the producer). */
export function dynamicQuantizeOnce(ctx: QuantContext, l: Pick<Linear, 'node' | 'input'>, out: OnnxNode[]): { q: string; scale: string; zeroPoint: string } {
  return ctx.sharedNodes(`${l.input}_dynamic_quantize`, (base) => {
    const [q, scale, zeroPoint] = [`${base}_quantized`, `${base}_scale`, `${base}_zero_point`].map((n) => ctx.fresh(n)) as [string, string, string];
    out.push(makeNode('DynamicQuantizeLinear', ctx.fresh(`${l.node.name}_input_quantize`), [l.input], [q, scale, zeroPoint]));
    return { q, scale, zeroPoint };
  });
}

/** Dynamic int8, QDQ form: the input goes through DynamicQuantizeLinear, both sides through DequantizeLinear. */
export function lowerDynamicQdq(ctx: QuantContext, l: Linear): OnnxNode[] {
  const out: OnnxNode[] = [];
  const w = weightKN(ctx, l, out);
  const x = dynamicQuantizeOnce(ctx, l, out);
  return [...out, ...dequantizedMatMul(ctx, l, w, x.q, x.scale, x.zeroPoint)];
}

/** Static int8, QDQ form: the input's range comes from calibration and is fixed in the file. */
export function lowerStaticQdq(ctx: QuantContext, l: Linear, range: { min: number; max: number }): OnnxNode[] {
  const out: OnnxNode[] = [];
  const w = weightKN(ctx, l, out);
  const p = qParams(range.min, range.max, { type: 'uint8', symmetric: false, reduceRange: ctx.options.reduceRange });
  const xs = ctx.derived(`${l.input}_scale`, () => memoryTensor('float32', [], Float32Array.of(p.scale)));
  const xz = ctx.derived(`${l.input}_zero_point`, () => memoryTensor('uint8', [], Uint8Array.of(p.zeroPoint)));
  const xq = ctx.fresh(`${l.input}_quantized`);
  out.push(makeNode('QuantizeLinear', `${l.node.name}_input_quantize`, [l.input, xs, xz], [xq]));
  return [...out, ...dequantizedMatMul(ctx, l, w, xq, xs, xz)];
}

function dequantizedMatMul(ctx: QuantContext, l: Linear, w: QuantizedWeightNames, xq: string, xs: string, xz: string): OnnxNode[] {
  const x = ctx.fresh(`${l.input}_dequantized`);
  const wf = ctx.fresh(`${w.data}_dequantized`);
  const mm = l.bias === null ? l.output : ctx.fresh(`${l.node.name}_output`);
  const nodes = [
    makeNode('DequantizeLinear', `${l.node.name}_input_dequantize`, [xq, xs, xz], [x]),
    makeNode('DequantizeLinear', `${l.node.name}_weight_dequantize`, [w.data, w.scale, w.zeroPoint], [wf], ctx.options.perChannel ? { axis: attr.int(1) } : {}),
    makeNode('MatMul', l.node.name, [x, wf], [mm]),
  ];
  if (l.bias !== null) nodes.push(makeNode('Add', `${l.node.name}_bias`, [mm, l.bias], [l.output]));
  return nodes;
}
