import { GraphIndex } from '../onnx/graph.js';
import { FreshNames } from '../onnx/graph-names.js';
import type { Initializer, OnnxModel, OnnxNode } from '../onnx/model.js';
import { memoryTensor, toFloat32, type TensorSource } from '../tensor.js';
import type { QuantizeOptions } from './options.js';
import type { QuantContext } from './registry.js';

/** The QuantContext over one model: indexes built once, derived tensors collected for the output. */
export class GraphContext implements QuantContext {
  private readonly index: GraphIndex;
  private readonly names: FreshNames;
  private readonly floatCache = new Map<string, Float32Array>();
  private readonly byKey = new Map<string, string>();
  private readonly absorbed = new Set<OnnxNode>();
  private readonly shared = new Map<string, unknown>();
  readonly added: Initializer[] = [];

  constructor(model: OnnxModel, readonly options: QuantizeOptions, private readonly willRewrite: (node: OnnxNode) => boolean) {
    this.index = new GraphIndex(model);
    this.names = new FreshNames(model);
  }

  initializer(name: string): TensorSource | undefined {
    return this.index.initializer(name);
  }

  floats(name: string): Float32Array {
    const hit = this.floatCache.get(name);
    if (hit) return hit;
    const t = this.index.initializer(name);
    if (t === undefined) throw new Error(`floats(${name}): not an initializer`);
    const values = toFloat32(t);
    this.floatCache.set(name, values);
    return values;
  }

  derived(key: string, make: () => TensorSource): string {
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    const name = this.fresh(key);
    this.added.push({ name, tensor: make() });
    this.byKey.set(key, name);
    return name;
  }

  constant(dtype: 'float32' | 'int64', dims: readonly number[], values: readonly number[]): string {
    const key = `const_${dtype}[${dims.join('x')}]=${values.join('_')}`;
    return this.derived(key, () => memoryTensor(dtype, dims, dtype === 'float32' ? Float32Array.from(values) : BigInt64Array.from(values, (v) => BigInt(v))));
  }

  fresh(base: string): string {
    return this.names.fresh(base);
  }

  consumers(value: string): readonly OnnxNode[] {
    return this.index.consumers(value);
  }

  quantizedReaders(value: string): number {
    return this.consumers(value).filter(this.willRewrite).length;
  }

  sharedNodes<T>(key: string, make: (base: string) => T): T {
    if (this.shared.has(key)) return this.shared.get(key) as T;
    const made = make(key);
    this.shared.set(key, made);
    return made;
  }

  isGraphOutput(value: string): boolean {
    return this.index.isGraphOutput(value);
  }

  absorb(node: OnnxNode): void {
    this.absorbed.add(node);
  }

  isAbsorbed(node: OnnxNode): boolean {
    return this.absorbed.has(node);
  }

  range(value: string): { readonly min: number; readonly max: number } | undefined {
    return this.options.activations.kind === 'static' ? this.options.activations.ranges.get(value) : undefined;
  }
}
