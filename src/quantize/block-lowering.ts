import { makeNode } from '../onnx/graph-nodes.js';
import { MS_DOMAIN } from '../onnx/graph-ops.js';
import { attr, type OnnxNode } from '../onnx/model.js';
import { memoryTensor } from '../tensor.js';
import { quantizeBlocks4, type BlockQuantized } from './block-quant.js';
import type { Linear } from './linear.js';
import { transpose } from '../util/transpose.js';
import type { QuantContext } from './context.js';

const BITS = 4;

interface BlockNames { readonly codes: string; readonly scales: string; readonly zeroPoints: string; readonly blocksPerRow: number }

/**
 * A float weight as 4-bit blocks along K, [N, K] row-major, stored once per (name, block size).
 * Codes are stored [N, K/2] (GatherBlockQuantized's layout); MatMulNBits reads the same bytes as
 * [N, blocks, blockSize/2] through a Reshape onnxruntime folds at load, so an embedding table
 * that is also the tied MLM decoder is stored once.
 */
function blockWeight(ctx: QuantContext, name: string, N: number, K: number, kMajor: boolean): BlockNames {
  const bs = ctx.options.blockSize;
  let q: BlockQuantized | undefined;
  const get = () => (q ??= quantizeBlocks4(kMajor ? transpose(ctx.floats(name), K, N) : ctx.floats(name), N, K, bs));
  const nb = Math.ceil(K / bs);
  const tag = `q4_b${bs}`;
  return {
    codes: ctx.derived(`${name}_${tag}`, () => memoryTensor('uint8', [N, nb * (bs / 2)], get().codes)),
    scales: ctx.derived(`${name}_${tag}_scales`, () => memoryTensor('float32', [N, nb], get().scales)),
    zeroPoints: ctx.derived(`${name}_${tag}_zero_points`, () => memoryTensor('uint8', [N, Math.ceil(nb / 2)], get().zeroPoints)),
    blocksPerRow: nb,
  };
}

/** Weight-only 4-bit linear: MatMulNBits (float activations, int4 weights, bias folded in). */
export function lowerNBits(ctx: QuantContext, l: Linear): OnnxNode[] {
  const bs = ctx.options.blockSize;
  const w = blockWeight(ctx, l.weight, l.N, l.K, !l.transposed);
  const codes3d = ctx.fresh(`${w.codes}_blocks`);
  const shape = ctx.constant('int64', [3], [l.N, w.blocksPerRow, bs / 2]);
  return [
    makeNode('Reshape', `${l.node.name}_weight_blocks`, [w.codes, shape], [codes3d]),
    makeNode('MatMulNBits', l.node.name, [l.input, codes3d, w.scales, w.zeroPoints, '', l.bias ?? ''], [l.output], {
      K: attr.int(l.K), N: attr.int(l.N), bits: attr.int(BITS), block_size: attr.int(bs),
    }, MS_DOMAIN),
  ];
}

/** A 4-bit embedding lookup: GatherBlockQuantized dequantizes only the rows it gathers. */
export function lowerBlockGather(ctx: QuantContext, node: OnnxNode, table: string, V: number, E: number, indices: string, output: string): OnnxNode[] {
  const w = blockWeight(ctx, table, V, E, false);
  return [
    makeNode('GatherBlockQuantized', node.name, [w.codes, indices, w.scales, w.zeroPoints], [output], {
      bits: attr.int(BITS), block_size: attr.int(ctx.options.blockSize), gather_axis: attr.int(0), quantize_axis: attr.int(1),
    }, MS_DOMAIN),
  ];
}
