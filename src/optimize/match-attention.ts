import type { GraphIndex } from '../onnx/graph.js';
import { attrInt, attrInts } from '../onnx/graph-attributes.js';
import { isStandardOp } from '../onnx/graph-ops.js';
import type { OnnxNode } from '../onnx/model.js';

/** x @ W + b with W a float32 [in, out] initializer and b a float32 [out] one. */
interface Projection {
  readonly input: string;
  readonly weight: string;
  readonly bias: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/**
 * One self-attention block as albench's converter writes it (and transformers computes it),
 * from the shared input to the merged heads, ready to become one com.microsoft Attention node.
 */
export interface AttentionBlock {
  readonly softmax: OnnxNode;
  readonly input: string;
  readonly query: Projection;
  readonly key: Projection;
  readonly value: Projection;
  readonly heads: number;
  readonly headSize: number;
  /** The [B, S] 0/1 graph input the additive mask bias is built from, and the value padded keys get. */
  readonly mask: { readonly input: string; readonly fill: number };
  /** The merged-heads [B, S, H] value the Attention node will produce instead. */
  readonly output: string;
  /** Nodes of the block proper (not the mask chain, which all layers share). */
  readonly nodes: readonly OnnxNode[];
}

const same = (a: readonly number[] | null, b: readonly number[]) => a !== null && a.length === b.length && a.every((v, i) => v === b[i]);

/** Both operand orders of a commutative binary node. */
const orders = (n: OnnxNode): ReadonlyArray<readonly [string, string]> => {
  const [a, b] = n.inputs;
  return a === undefined || b === undefined || n.inputs.length !== 2 ? [] : [[a, b], [b, a]];
};

function projection(ix: GraphIndex, value: string, nodes: OnnxNode[]): Projection | null {
  const add = ix.producer(value, 'Add');
  if (add === undefined) return null;
  for (const [product, bias] of orders(add)) {
    const matmul = ix.producer(product, 'MatMul');
    const b = ix.initializer(bias);
    const [input, weight] = matmul?.inputs ?? [];
    const w = weight === undefined ? undefined : ix.initializer(weight);
    if (matmul === undefined || input === undefined || weight === undefined || w === undefined || b === undefined) continue;
    if (ix.initializer(input) !== undefined || w.dtype !== 'float32' || w.shape.length !== 2 || b.dtype !== 'float32') continue;
    const [inFeatures, outFeatures] = w.shape as [number, number];
    if (b.shape.length !== 1 || b.shape[0] !== outFeatures) continue;
    nodes.push(add, matmul);
    return { input, weight, bias, inFeatures, outFeatures };
  }
  return null;
}

/** Reshape [0, 0, heads, headSize] then Transpose(perm): one of q, k^T, v split into heads. */
function heads(ix: GraphIndex, value: string, perm: readonly number[], nodes: OnnxNode[]): { projection: Projection; heads: number; headSize: number } | null {
  const transpose = ix.producer(value, 'Transpose');
  if (transpose === undefined || !same(attrInts(transpose, 'perm'), perm)) return null;
  const reshape = ix.producer(transpose.inputs[0] ?? '', 'Reshape');
  const shape = ix.ints(reshape?.inputs[1] ?? '');
  if (reshape === undefined || shape === null || shape.length !== 4 || shape[0] !== 0 || shape[1] !== 0) return null;
  const [, , n, h] = shape as [number, number, number, number];
  if (!(n > 0 && h > 0) || attrInt(reshape, 'allowzero') === 1) return null;
  const p = projection(ix, reshape.inputs[0] ?? '', nodes);
  if (p === null || p.outFeatures !== n * h) return null;
  nodes.push(transpose, reshape);
  return { projection: p, heads: n, headSize: h };
}

/** (1 - Cast(Unsqueeze(mask, [1, 2]))) * fill: transformers' extended attention mask. */
function maskBias(ix: GraphIndex, value: string): AttentionBlock['mask'] | null {
  const mul = ix.producer(value, 'Mul');
  if (mul === undefined) return null;
  for (const [diff, fillName] of orders(mul)) {
    const fill = ix.scalar(fillName);
    const sub = ix.producer(diff, 'Sub');
    if (fill === null || !(fill < 0) || sub === undefined || ix.scalar(sub.inputs[0] ?? '') !== 1) continue;
    const cast = ix.producer(sub.inputs[1] ?? '', 'Cast');
    if (cast === undefined || attrInt(cast, 'to') !== 1) continue;
    const unsqueeze = ix.producer(cast.inputs[0] ?? '', 'Unsqueeze');
    if (unsqueeze === undefined) continue;
    const axes = unsqueeze.inputs[1] !== undefined ? ix.ints(unsqueeze.inputs[1]) : attrInts(unsqueeze, 'axes');
    const source = ix.model.graph.inputs.find((v) => v.name === unsqueeze.inputs[0]);
    if (!same(axes, [1, 2]) || source === undefined || source.dims?.length !== 2) continue;
    return { input: source.name, fill };
  }
  return null;
}

/** Every value made inside the block is read only inside it, so removing the block loses nothing. */
function selfContained(ix: GraphIndex, nodes: readonly OnnxNode[], output: string): boolean {
  const inside = new Set(nodes);
  return nodes.every((n) => n.outputs.every((o) => o === output || (!ix.isGraphOutput(o) && ix.consumers(o).every((c) => inside.has(c)))));
}

/**
 * Follows the edges around one Softmax and returns the block only when every piece has exactly
 * the shape of the converter's attention (so the fused op computes the same thing); null otherwise.
 */
export function matchAttention(ix: GraphIndex, softmax: OnnxNode, opset: number): AttentionBlock | null {
  const axis = attrInt(softmax, 'axis');
  if (!isStandardOp(softmax, 'Softmax') || !(axis === -1 || axis === 3 || (axis === null && opset >= 13))) return null;
  const nodes: OnnxNode[] = [softmax];
  const scores = ix.producer(softmax.inputs[0] ?? '', 'Add');
  if (scores === undefined) return null;
  for (const [scaled, bias] of orders(scores)) {
    const div = ix.producer(scaled, 'Div');
    const mask = maskBias(ix, bias);
    const qk = ix.producer(div?.inputs[0] ?? '', 'MatMul');
    const divisor = ix.scalar(div?.inputs[1] ?? '');
    if (div === undefined || mask === null || qk === undefined || divisor === null) continue;
    nodes.push(scores, div, qk);
    const q = heads(ix, qk.inputs[0] ?? '', [0, 2, 1, 3], nodes);
    const k = heads(ix, qk.inputs[1] ?? '', [0, 2, 3, 1], nodes);
    const [probsReader, ...others] = ix.consumers(softmax.outputs[0] ?? '');
    if (q === null || k === null || probsReader === undefined || others.length > 0) return null;
    if (!isStandardOp(probsReader, 'MatMul') || probsReader.inputs[0] !== softmax.outputs[0]) return null;
    const v = heads(ix, probsReader.inputs[1] ?? '', [0, 2, 1, 3], nodes);
    const [merge, ...more] = ix.consumers(probsReader.outputs[0] ?? '');
    const [flatten, ...rest] = ix.consumers(merge?.outputs[0] ?? '');
    if (v === null || merge === undefined || flatten === undefined || more.length > 0 || rest.length > 0) return null;
    if (!isStandardOp(merge, 'Transpose') || !same(attrInts(merge, 'perm'), [0, 2, 1, 3])) return null;
    if (!isStandardOp(flatten, 'Reshape') || attrInt(flatten, 'allowzero') === 1) return null;
    const { heads: n, headSize: h } = q;
    const hidden = n * h;
    if (k.heads !== n || v.heads !== n || k.headSize !== h || v.headSize !== h || !same(ix.ints(flatten.inputs[1] ?? ''), [0, 0, hidden])) return null;
    const input = q.projection.input;
    if (k.projection.input !== input || v.projection.input !== input) return null;
    if (q.projection.inFeatures !== k.projection.inFeatures || q.projection.inFeatures !== v.projection.inFeatures) return null;
    // Attention scales by 1/sqrt(headSize) itself; any other divisor is a different computation.
    if (Math.abs(divisor - Math.sqrt(h)) > 1e-6 * Math.sqrt(h)) return null;
    nodes.push(probsReader, merge, flatten);
    const output = flatten.outputs[0] ?? '';
    if (!selfContained(ix, nodes, output)) return null;
    return { softmax, input, query: q.projection, key: k.projection, value: v.projection, heads: n, headSize: h, mask, output, nodes };
  }
  return null;
}
