import type { OnnxModel } from '../../onnx/model.js';
import type { QuantizeOptions } from '../options.js';
import { planQuantization } from '../plan.js';

/**
 * The activations a static quantization of `model` needs ranges for: the inputs of every node a
 * rule would rewrite (and --exclude leaves alone), in graph order, each once. Asked under dynamic
 * activations, since no node has a range yet.
 */
export function calibrationTargets(model: OnnxModel, options: QuantizeOptions): string[] {
  const { rewrites } = planQuantization(model, { ...options, activations: { kind: 'dynamic' } });
  return [...new Set([...rewrites.values()].flatMap((r) => r.calibratedInputs))];
}
