import { isStandardDomain } from '../onnx/graph-ops.js';
import type { OnnxNode } from '../onnx/model.js';
import type { TensorSource } from '../tensor.js';
import type { QuantizeOptions } from './options.js';

/** What a rule may ask about the graph and add to it; rules never mutate the model directly. */
export interface QuantContext {
  readonly options: QuantizeOptions;
  /** The original model's initializer of that name, if the value is one. */
  initializer(name: string): TensorSource | undefined;
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
  /** Nodes that read `value`. */
  consumers(value: string): readonly OnnxNode[];
  isGraphOutput(value: string): boolean;
  /** How many nodes reading `value` the rules will rewrite (excluded nodes do not count). */
  quantizedReaders(value: string): number;
  /**
   * Values produced once per key for every rewrite that needs them (one DynamicQuantizeLinear for
   * query, key and value); `make` runs on the first call only and emits the nodes there.
   */
  sharedNodes<T>(key: string, make: (base: string) => T): T;
  /** Removes a later node whose work this rewrite took over (a bias Add folded into a fused op). */
  absorb(node: OnnxNode): void;
  /** Activation range from calibration (static mode), or undefined. */
  range(value: string): { readonly min: number; readonly max: number } | undefined;
}

/** One rule per operator family. Ops without a rule, or whose rule declines, pass through untouched. */
export interface OpQuantizer {
  readonly opType: string;
  /** The operator's domain; '' (the default) is the standard one. */
  readonly domain?: string;
  shouldQuantize(node: OnnxNode, ctx: QuantContext): boolean;
  rewrite(node: OnnxNode, ctx: QuantContext): OnnxNode[];
  /** The activations whose calibrated ranges a static rewrite of this node reads; none when absent. */
  calibratedInputs?(node: OnnxNode, ctx: QuantContext): readonly string[];
}

const ruleKey = (domain: string, opType: string) => `${isStandardDomain(domain) ? '' : domain}:${opType}`;

export class QuantizerRegistry {
  private readonly rules = new Map<string, OpQuantizer>();

  constructor(rules: readonly OpQuantizer[]) {
    for (const r of rules) {
      const key = ruleKey(r.domain ?? '', r.opType);
      if (this.rules.has(key)) throw new Error(`two quantization rules for ${key}`);
      this.rules.set(key, r);
    }
  }

  ruleFor(node: OnnxNode): OpQuantizer | undefined {
    return this.rules.get(ruleKey(node.domain, node.opType));
  }
}
