import { memoryTensor, type DType, type TensorSource } from '../tensor.js';
import { irVersionForOpset, type Attribute, type Dim, type Initializer, type OnnxModel, type OnnxNode, type ValueInfo } from './model.js';

export interface Value { readonly name: string }

interface OpOptions { readonly domain?: string; readonly outputs?: number }

/**
 * A small graph builder in the spirit of onnx.helper. Node names follow the scope stack (HF
 * module paths); the same TensorSource object given twice becomes one initializer.
 */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly byTensor = new Map<TensorSource, Value>();
  private readonly constants = new Map<string, Value>();
  private readonly producer = new Set<string>();
  private readonly renames = new Map<string, string>();
  private readonly names = new Set<string>();
  private readonly scopes: string[] = [];
  private counter = 0;

  constructor(readonly opset: number) {}

  private unique(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  input(name: string, dtype: DType, dims: readonly Dim[]): Value {
    this.inputs.push({ name: this.unique(name), dtype, dims });
    return { name };
  }

  initializer(name: string, tensor: TensorSource): Value {
    const hit = this.byTensor.get(tensor);
    if (hit) return hit;
    const value = { name: this.unique(name) };
    this.initializers.push({ name: value.name, tensor });
    this.byTensor.set(tensor, value);
    return value;
  }

  /** A small constant (shapes, scalars), stored once per distinct value. */
  constant(dtype: 'float32' | 'int64', dims: readonly number[], values: readonly number[]): Value {
    const key = `${dtype}[${dims.join(',')}]=${values.join(',')}`;
    const hit = this.constants.get(key);
    if (hit) return hit;
    const data = dtype === 'float32' ? Float32Array.from(values) : BigInt64Array.from(values.map((v) => BigInt(v)));
    const value = this.initializer(`const_${dtype}_${this.constants.size}`, memoryTensor(dtype, dims, data));
    this.constants.set(key, value);
    return value;
  }

  scalar(value: number): Value {
    return this.constant('float32', [], [value]);
  }

  ints(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values);
  }

  scope<T>(prefix: string, fn: () => T): T {
    this.scopes.push(prefix);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  op(opType: string, inputs: ReadonlyArray<Value | null>, attributes: Readonly<Record<string, Attribute>> = {}, opts: OpOptions = {}): Value[] {
    const name = this.unique(`/${[...this.scopes, opType].join('/')}`);
    const outputs = Array.from({ length: opts.outputs ?? 1 }, (_, i) => this.unique(`${name}_output_${i}`));
    const node: OnnxNode = { opType, domain: opts.domain ?? '', name, inputs: inputs.map((v) => v?.name ?? ''), outputs, attributes };
    this.nodes.push(node);
    outputs.forEach((out) => this.producer.add(out));
    return outputs.map((out) => ({ name: out }));
  }

  /** One-output op, the common case. */
  op1(opType: string, inputs: ReadonlyArray<Value | null>, attributes: Readonly<Record<string, Attribute>> = {}, opts: OpOptions = {}): Value {
    const [out] = this.op(opType, inputs, attributes, opts);
    return out as Value;
  }

  /** Names a node's result as a graph output (a rename applied at build time, so no Identity node is needed). */
  output(value: Value, name: string, dtype: DType, dims: readonly Dim[]): void {
    if (!this.producer.has(value.name)) throw new Error(`graph output ${name} must be produced by a node`);
    if (this.names.has(name)) throw new Error(`name ${name} is already used in the graph`);
    this.names.add(name);
    this.renames.set(value.name, name);
    this.outputs.push({ name, dtype, dims });
  }

  private renamed(node: OnnxNode): OnnxNode {
    const rename = (v: string) => this.renames.get(v) ?? v;
    return { ...node, inputs: node.inputs.map(rename), outputs: node.outputs.map(rename) };
  }

  build(graphName: string, metadata: Record<string, string>, producerVersion: string): OnnxModel {
    return {
      irVersion: irVersionForOpset(this.opset),
      opsets: [
        { domain: '', version: this.opset },
        ...[...new Set(this.nodes.map((n) => n.domain).filter((d) => d !== ''))].map((domain) => ({ domain, version: 1 })),
      ],
      producerName: 'albench',
      producerVersion,
      metadata,
      graph: { name: graphName, nodes: this.nodes.map((n) => this.renamed(n)), inputs: this.inputs, outputs: this.outputs, initializers: this.initializers },
    };
  }
}
