import { readModelProto } from '../onnx/serde.js';
import type { OptimizedGraph } from './schema.js';

/** The standard ONNX domain; onnxruntime's fusions produce ops in com.microsoft (and .nchwc). */
const ONNX_DOMAINS = new Set(['', 'ai.onnx']);

/**
 * Reads back the graph onnxruntime saved after optimising (optimizedModelFilePath) and counts its
 * op types. What it finds outside the ONNX domain (Attention, SkipLayerNormalization, BiasGelu,
 * FastGelu, FusedMatMul, ...) is what onnxruntime actually fused, as opposed to what it might.
 */
export function summarizeOptimizedGraph(optimizedModelFile: string): OptimizedGraph {
  const nodes = readModelProto(optimizedModelFile).graph?.node ?? [];
  const opCounts: Record<string, number> = {};
  const fusedOps: Record<string, number> = {};
  for (const node of nodes) {
    const domain = node.domain ?? '';
    const opType = node.opType ?? '';
    const standard = ONNX_DOMAINS.has(domain);
    const key = standard ? opType : `${domain}:${opType}`;
    opCounts[key] = (opCounts[key] ?? 0) + 1;
    if (!standard) fusedOps[opType] = (fusedOps[opType] ?? 0) + 1;
  }
  const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return { fusedOps: sorted(fusedOps), opCounts: sorted(opCounts), nodes: nodes.length };
}
