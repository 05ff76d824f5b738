import { OnnxError } from '../errors.js';
import { isStandardDomain, QUANTIZED_OPS } from '../onnx/graph-ops.js';
import type { OnnxModel } from '../onnx/model.js';

/**
 * optimize rewrites the float32 graph `albench convert` writes; a graph already fused, quantized
 * or in float16 would be rewritten wrongly or not at all, so it is refused up front.
 */
export function assertPlainFloatGraph(model: OnnxModel, file: string): void {
  const g = model.graph;
  const quantized = g.nodes.find((n) => QUANTIZED_OPS.has(n.opType));
  if (quantized !== undefined) {
    throw new OnnxError(file, `is quantized (node ${quantized.name} is ${quantized.opType}); optimize the float model (onnx/model.onnx) instead`);
  }
  const contrib = g.nodes.find((n) => !isStandardDomain(n.domain));
  if (contrib !== undefined) {
    const op = `${contrib.domain} ${contrib.opType}`;
    throw new OnnxError(file, `is already optimized (node ${contrib.name} is ${op}); optimize the converted model (onnx/model.onnx) instead`);
  }
  const half = g.initializers.find((i) => i.tensor.dtype === 'float16');
  if (half !== undefined) throw new OnnxError(file, `holds float16 weights (${half.name}); optimize the float32 model (onnx/model.onnx) instead`);
}
