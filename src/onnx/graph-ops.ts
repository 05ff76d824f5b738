import type { OnnxModel, OnnxNode } from './model.js';

/** onnxruntime's contrib operators (Attention, MatMulNBits, QAttention ...). */
export const MS_DOMAIN = 'com.microsoft';

/** Operators only a quantized graph contains. */
export const QUANTIZED_OPS: ReadonlySet<string> = new Set([
  'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger', 'QLinearMatMul', 'QLinearConv',
  'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'MatMulNBits', 'GatherBlockQuantized', 'QGemm', 'QAttention', 'QEmbedLayerNormalization',
]);

/** The default ONNX domain, which files spell '' or 'ai.onnx'. */
export const isStandardDomain = (domain: string): boolean => domain === '' || domain === 'ai.onnx';

export const isStandardOp = (node: OnnxNode, opType: string): boolean => node.opType === opType && isStandardDomain(node.domain);

type Opsets = OnnxModel['opsets'];

/** The opsets with `domain` imported (at `version`) when it is not already. */
export function ensureOpset(opsets: Opsets, domain: string, version = 1): Opsets {
  return opsets.some((o) => o.domain === domain) ? opsets : [...opsets, { domain, version }];
}
