import type { GraphIndex } from '../onnx/graph.js';
import { FreshNames } from '../onnx/graph-names.js';
import type { Initializer, OnnxNode } from '../onnx/model.js';
import { memoryTensor, toFloat32, type TensorSource } from '../tensor.js';
import type { QuantizeOptions } from './options.js';

/** What a rule may read while matching: the original graph and the options, nothing it could change. */
export interface MatchContext {
  readonly options: QuantizeOptions;
  /** The original model's initializer of that name, if the value is one. */
  initializer(name: string): TensorSource | undefined;
  /** Nodes that read `value`. */
  consumers(value: string): readonly OnnxNode[];
  isGraphOutput(value: string): boolean;
  /** Activation range from calibration (static mode), or undefined. */
  range(value: string): { readonly min: number; readonly max: number } | undefined;
}

/** What a rewrite may ask about the graph and add to it; rules never mutate the model directly. */
export interface QuantContext extends MatchContext {
  /** An initializer's data as float32, decoded once however many nodes read it. */
  floats(name: string): Float32Array;
  /**
   * A derived initializer (a quantized weight, its scales), produced once per key: ALBERT's shared
   * layers and the tied MLM decoder read one weight from several nodes, and it must be stored once.
   */
  derived(key: string, make: () => TensorSource): string;
  constant(dtype: 'float32' | 'int64', dims: readonly number[], values: readonly number[]): string;
  /** A value or node name not used anywhere in the graph yet. */
  fresh(base: string): string;
  /** How many nodes reading `value` the rules will rewrite (excluded nodes do not count). */
  quantizedReaders(value: string): number;
  /**
   * Values produced once per key for every rewrite that needs them (one DynamicQuantizeLinear for
   * query, key and value); `make` runs on the first call only and emits the nodes there.
   */
  sharedNodes<T>(key: string, make: (base: string) => T): T;
  /** Removes a later node whose work this rewrite took over (a bias Add folded into a fused op). */
  absorb(node: OnnxNode): void;
}

/** The MatchContext over one model's index. */
export class GraphMatchContext implements MatchContext {
  constructor(protected readonly index: GraphIndex, readonly options: QuantizeOptions) {}

  initializer(name: string): TensorSource | undefined {
    return this.index.initializer(name);
  }

  consumers(value: string): readonly OnnxNode[] {
    return this.index.consumers(value);
  }

  isGraphOutput(value: string): boolean {
    return this.index.isGraphOutput(value);
  }

  range(value: string): { readonly min: number; readonly max: number } | undefined {
    return this.options.activations.kind === 'static' ? this.options.activations.ranges.get(value) : undefined;
  }
}

/** The QuantContext over one model: derived tensors and emitted names collected for the output. */
export class GraphContext extends GraphMatchContext implements QuantContext {
  private readonly names: FreshNames;
  private readonly floatCache = new Map<string, Float32Array>();
  private readonly byKey = new Map<string, string>();
  private readonly absorbed = new Set<OnnxNode>();
  private readonly shared = new Map<string, unknown>();
  readonly added: Initializer[] = [];

  constructor(index: GraphIndex, options: QuantizeOptions, private readonly willRewrite: (node: OnnxNode) => boolean) {
    super(index, options);
    this.names = new FreshNames(index.model);
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

  quantizedReaders(value: string): number {
    return this.consumers(value).filter(this.willRewrite).length;
  }

  sharedNodes<T>(key: string, make: (base: string) => T): T {
    if (this.shared.has(key)) return this.shared.get(key) as T;
    const made = make(key);
    this.shared.set(key, made);
    return made;
  }

  absorb(node: OnnxNode): void {
    this.absorbed.add(node);
  }

  isAbsorbed(node: OnnxNode): boolean {
    return this.absorbed.has(node);
  }
}
