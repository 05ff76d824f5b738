import { GraphIndex } from '../onnx/graph.js';
import { FreshNames } from '../onnx/graph-names.js';
import { makeNode } from '../onnx/graph-nodes.js';
import { ensureOpset, isStandardDomain, MS_DOMAIN } from '../onnx/graph-ops.js';
import { attr, type Initializer, type OnnxModel, type OnnxNode } from '../onnx/model.js';
import type { TensorSource } from '../tensor.js';
import { matchAttention, type AttentionBlock } from './match-attention.js';
import { biasKey, packBiases, packWeights, weightKey } from './pack-qkv.js';
import { pruneDead } from './prune.js';

const ONNX_INT32 = 6;

export interface FusedBlock {
  /** The Attention node's name (the scope of the Softmax it replaced). */
  readonly name: string;
  readonly heads: number;
  readonly headSize: number;
  readonly weights: string;
  /** How many standard nodes it stands for. */
  readonly replaced: number;
}

interface AttentionFusion {
  readonly model: OnnxModel;
  readonly blocks: readonly FusedBlock[];
  /** Distinct packed QKV weight tensors: fewer than blocks when layers share weights (ALBERT). */
  readonly packedWeights: number;
}

const scopeOf = (node: OnnxNode) => (/^(.*)\/Softmax(_\d+)?$/.exec(node.name)?.[1] ?? node.name);
const packedName = (name: string) => (name.includes('query') ? name.replace('query', 'qkv') : `${name}_qkv`);

/** Reads a [B, S] mask once as int32, Attention's mask_index type, however many blocks use it. */
class MaskCasts {
  private readonly cast = new Map<string, string>();
  constructor(private readonly names: FreshNames) {}

  get(input: string, emit: (n: OnnxNode) => void): string {
    const hit = this.cast.get(input);
    if (hit !== undefined) return hit;
    const out = this.names.fresh(`${input}_int32`);
    emit(makeNode('Cast', this.names.fresh(`/${input}/Cast_int32`), [input], [out], { to: attr.int(ONNX_INT32) }));
    this.cast.set(input, out);
    return out;
  }
}

/**
 * Replaces every self-attention block of a converter-made graph (MatMul+Add for q, k and v,
 * head split, scaled scores plus mask bias, Softmax, weighted sum, head merge) by one
 * com.microsoft Attention node, which onnxruntime's own fusion does not find in these graphs.
 * Blocks that do not match exactly are left as they are.
 */
export function fuseAttention(model: OnnxModel): AttentionFusion {
  const ix = new GraphIndex(model);
  const opset = model.opsets.find((o) => isStandardDomain(o.domain))?.version ?? 0;
  const byOutput = new Map<string, AttentionBlock>();
  for (const n of model.graph.nodes) {
    if (n.opType !== 'Softmax') continue;
    const block = matchAttention(ix, n, opset);
    if (block !== null) byOutput.set(block.output, block);
  }
  const names = new FreshNames(model);
  const masks = new MaskCasts(names);
  const packed = new Map<string, string>();
  const added: Initializer[] = [];
  const pack = (key: string, base: string, make: () => TensorSource) => {
    const hit = packed.get(key);
    if (hit !== undefined) return hit;
    const name = names.fresh(packedName(base));
    added.push({ name, tensor: make() });
    packed.set(key, name);
    return name;
  };
  const tensor = (name: string) => {
    const t = ix.initializer(name);
    if (t === undefined) throw new Error(`unreachable: ${name} was matched as an initializer`);
    return t;
  };

  const nodes: OnnxNode[] = [];
  const blocks: FusedBlock[] = [];
  for (const n of model.graph.nodes) {
    const block = byOutput.get(n.outputs[0] ?? '');
    if (block === undefined || n.outputs.length !== 1) {
      nodes.push(n);
      continue;
    }
    const { query: q, key: k, value: v } = block;
    const weights = pack(weightKey(block), q.weight, () => packWeights(tensor(q.weight), tensor(k.weight), tensor(v.weight)));
    const bias = pack(biasKey(block), q.bias, () => packBiases(tensor(q.bias), tensor(k.bias), tensor(v.bias)));
    const mask = masks.get(block.mask.input, (cast) => nodes.push(cast));
    const name = names.fresh(`${scopeOf(block.softmax)}/Attention`);
    nodes.push({
      opType: 'Attention', domain: MS_DOMAIN, name, inputs: [block.input, weights, bias, mask], outputs: [block.output],
      // mask_filter_value: transformers adds float32's lowest to padded keys, not Attention's default -10000.
      attributes: { num_heads: attr.int(block.heads), mask_filter_value: attr.float(block.mask.fill) },
    });
    blocks.push({ name, heads: block.heads, headSize: block.headSize, weights, replaced: block.nodes.length });
  }

  const opsets = blocks.length === 0 ? model.opsets : ensureOpset(model.opsets, MS_DOMAIN);
  const fused = pruneDead({ ...model, opsets, graph: { ...model.graph, nodes, initializers: [...model.graph.initializers, ...added] } });
  return { model: fused, blocks, packedWeights: new Set(blocks.map((b) => b.weights)).size };
}
