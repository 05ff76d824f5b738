import { DTYPE_BYTES, numel, toFloat32, type TensorSource } from '../tensor.js';
import { isStandardOp } from './graph-ops.js';
import type { OnnxModel, OnnxNode } from './model.js';

/**
 * Who produces and who reads each value of a graph, and its initializers by name: built once,
 * so pattern matching (optimize's fusions, quantize's rules) can walk edges both ways.
 */
export class GraphIndex {
  private readonly producers = new Map<string, OnnxNode>();
  private readonly readers = new Map<string, OnnxNode[]>();
  private readonly inits = new Map<string, TensorSource>();
  private readonly graphOutputs: ReadonlySet<string>;

  constructor(readonly model: OnnxModel) {
    const g = model.graph;
    for (const i of g.initializers) this.inits.set(i.name, i.tensor);
    for (const n of g.nodes) {
      for (const o of n.outputs) this.producers.set(o, n);
      for (const i of n.inputs) {
        const list = this.readers.get(i) ?? [];
        list.push(n);
        this.readers.set(i, list);
      }
    }
    this.graphOutputs = new Set(g.outputs.map((o) => o.name));
  }

  /** The node that makes `value`, if it is a standard-domain `opType`. */
  producer(value: string, opType: string): OnnxNode | undefined {
    const n = this.producers.get(value);
    return n !== undefined && isStandardOp(n, opType) ? n : undefined;
  }

  /** Nodes that read `value`, in graph order. */
  consumers(value: string): readonly OnnxNode[] {
    return this.readers.get(value) ?? [];
  }

  isGraphOutput(value: string): boolean {
    return this.graphOutputs.has(value);
  }

  initializer(name: string): TensorSource | undefined {
    return this.inits.get(name);
  }

  /** An int64 initializer's values (a Reshape target, Unsqueeze axes), or null for anything else. */
  ints(name: string): number[] | null {
    const t = this.inits.get(name);
    if (t === undefined || t.dtype !== 'int64' || t.shape.length > 1) return null;
    const b = t.bytes();
    const view = new DataView(b.buffer, b.byteOffset, numel(t.shape) * DTYPE_BYTES.int64);
    return Array.from({ length: numel(t.shape) }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  }

  /** A one-element float32 initializer's value, or null. */
  scalar(name: string): number | null {
    const t = this.inits.get(name);
    if (t === undefined || t.dtype !== 'float32' || numel(t.shape) !== 1) return null;
    return toFloat32(t)[0] ?? null;
  }
}
