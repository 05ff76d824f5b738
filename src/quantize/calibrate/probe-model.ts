import type { OnnxModel } from '../../onnx/model.js';

/**
 * The model with `values` added as graph outputs, so one run returns every activation to
 * calibrate. Their shapes are left unknown: onnxruntime infers them, and a guessed rank would
 * contradict its inference.
 */
export function withExtraOutputs(model: OnnxModel, values: readonly string[]): OnnxModel {
  const present = new Set(model.graph.outputs.map((o) => o.name));
  const extra = values.filter((v) => !present.has(v)).map((name) => ({ name, dtype: 'float32' as const, dims: null }));
  return { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra] } };
}
