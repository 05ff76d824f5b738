import type { Initializer, OnnxModel, OnnxNode } from '../onnx/model.js';
import { memoryTensor, toFloat32, type TensorSource } from '../tensor.js';
import type { QuantizeOptions } from './options.js';
import type { QuantContext } from './registry.js';

/** The QuantContext over one model: indexes built once, derived tensors collected for the output. */
export class GraphContext implements QuantContext {
  private readonly inits = new Map<string, TensorSource>();
  private readonly floatCache = new Map<string, Float32Array>();
  private readonly byKey = new Map<string, string>();
  private readonly consumerIndex = new Map<string, OnnxNode[]>();
  private readonly outputs: ReadonlySet<string>;
  private readonly used = new Set<string>();
  private readonly absorbed = new Set<OnnxNode>();
  private readonly shared = new Map<string, unknown>();
  readonly added: Initializer[] = [];

  constructor(model: OnnxModel, readonly options: QuantizeOptions, private readonly willRewrite: (node: OnnxNode) => boolean) {
    const g = model.graph;
    for (const i of g.initializers) {
      this.inits.set(i.name, i.tensor);
      this.used.add(i.name);
    }
    for (const v of [...g.inputs, ...g.outputs]) this.used.add(v.name);
    for (const n of g.nodes) {
      this.used.add(n.name);
      n.outputs.forEach((o) => this.used.add(o));
      for (const i of n.inputs) {
        const list = this.consumerIndex.get(i) ?? [];
        list.push(n);
        this.consumerIndex.set(i, list);
      }
    }
    this.outputs = new Set(g.outputs.map((o) => o.name));
  }

  initializer(name: string): TensorSource | undefined {
    return this.inits.get(name);
  }

  floats(name: string): Float32Array {
    const hit = this.floatCache.get(name);
    if (hit) return hit;
    const t = this.inits.get(name);
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
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  consumers(value: string): readonly OnnxNode[] {
    return this.consumerIndex.get(value) ?? [];
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
    return this.outputs.has(value);
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
