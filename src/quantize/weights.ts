import { memoryTensor } from '../tensor.js';
import { transpose } from '../util/transpose.js';
import { quantizeMatrix, type QScheme, type QuantizedMatrix } from './linear-quant.js';
import type { QuantizeOptions } from './options.js';
import type { MatchContext, QuantContext } from './context.js';

/** The initializer names of one int8 weight: codes, scale(s), zero point(s) ('' when symmetric int8: every zero point is 0, the operators' default). */
export interface QuantizedWeightNames { readonly data: string; readonly scale: string; readonly zeroPoint: string }

/** Weights follow onnxruntime's defaults: int8 symmetric (zero point 0), uint8 asymmetric. */
export function weightScheme(o: Pick<QuantizeOptions, 'weightType' | 'reduceRange'>): QScheme {
  return { type: o.weightType, symmetric: o.weightType === 'int8', reduceRange: o.reduceRange };
}

/**
 * Embedding tables: one symmetric int8 scale, so a Gather + DequantizeLinear reads them and the
 * tied MLM decoder can read the very same codes.
 */
export const EMBEDDING_SCHEME: QScheme = { type: 'int8', symmetric: true, reduceRange: false };

/** Whether a Gather rule will quantize this initializer too (the tied MLM decoder's table). */
export function isQuantizedEmbedding(ctx: MatchContext, name: string): boolean {
  return ctx.options.embeddings && ctx.consumers(name).some((n) => n.opType === 'Gather' && n.inputs[0] === name);
}

/**
 * An initializer holding a [rows, cols] float matrix (or, with `transposed`, stored [cols, rows]
 * and wanted as [rows, cols]), quantized once per (name, layout, scheme, axis): every node that
 * reads the same float weight gets the same int8 initializers.
 */
export function quantizedWeight(
  ctx: QuantContext,
  name: string,
  rows: number,
  cols: number,
  scheme: QScheme,
  axis: 0 | 1 | null,
  transposed = false,
): QuantizedWeightNames {
  const tag = `${transposed ? 'T_' : ''}${scheme.type}${scheme.symmetric ? 's' : 'a'}${scheme.reduceRange ? '7' : ''}${axis === null ? '' : `_axis${axis}`}`;
  let q: QuantizedMatrix | undefined;
  const get = () => (q ??= quantizeMatrix(transposed ? transpose(ctx.floats(name), cols, rows) : ctx.floats(name), rows, cols, scheme, axis));
  const channelDims = axis === null ? [] : [axis === 0 ? rows : cols];
  return {
    data: ctx.derived(`${name}_quantized_${tag}`, () => memoryTensor(scheme.type, [rows, cols], get().data)),
    scale: ctx.derived(`${name}_scale_${tag}`, () => memoryTensor('float32', channelDims, get().scales)),
    zeroPoint: scheme.type === 'int8' && scheme.symmetric
      ? ''
      : ctx.derived(`${name}_zero_point_${tag}`, () => memoryTensor(scheme.type, channelDims, get().zeroPoints)),
  };
}

/** A float32 rank-2 initializer, the only kind of weight the rules quantize. */
export function matrixShape(ctx: MatchContext, name: string): readonly [number, number] | null {
  const t = ctx.initializer(name);
  if (t === undefined || t.dtype !== 'float32' || t.shape.length !== 2) return null;
  return [t.shape[0] as number, t.shape[1] as number];
}
