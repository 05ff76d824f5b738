import type { OnnxModel, OnnxNode } from '../onnx/model.js';
import type { QuantizeOptions } from '../quantize/options.js';
import { planQuantization } from '../quantize/plan.js';

/**
 * What a group is to a transformer layer. query, key and value are separate groups in the plain
 * graph and one `qkv` group where `albench optimize` packed them into one Attention weight.
 */
const GROUP_ROLES = ['query', 'key', 'value', 'qkv', 'attention-output', 'ffn-in', 'ffn-out', 'embeddings', 'pooler', 'classifier', 'other'] as const;
type GroupRole = (typeof GROUP_ROLES)[number];

/**
 * One unit the search keeps in float or quantizes: every node that reads the same weight
 * initializer. ALBERT's shared layer is one group whose nodes run at every depth, so keeping it
 * in float restores all of them at once (and costs its bytes once).
 */
export interface QuantGroup {
  /** The weight initializer the group's nodes quantize. */
  readonly weight: string;
  readonly role: GroupRole;
  /** The encoder layers its nodes run in, ascending; empty outside the encoder. */
  readonly layers: readonly number[];
  /** Node names, in graph order: what --exclude is given to keep the group in float. */
  readonly nodes: readonly string[];
}

const ROLE_PATTERNS: ReadonlyArray<readonly [RegExp, GroupRole]> = [
  [/attention\/query\//, 'query'],
  [/attention\/key\//, 'key'],
  [/attention\/value\//, 'value'],
  [/attention\/output\//, 'attention-output'],
  [/\/intermediate\//, 'ffn-in'],
  [/ffn\/output\/|\/output\/dense\//, 'ffn-out'],
  [/embedding/, 'embeddings'],
  [/pooler/, 'pooler'],
  [/classifier/, 'classifier'],
];

function roleOf(node: OnnxNode): GroupRole {
  if (node.opType === 'Attention') return 'qkv';
  if (node.opType === 'Gather') return 'embeddings';
  return ROLE_PATTERNS.find(([pattern]) => pattern.test(node.name))?.[1] ?? 'other';
}

/** The initializer a quantization rule stores in integers: a Gather's table, every other rule's second input. */
const weightOf = (node: OnnxNode): string => (node.opType === 'Gather' ? node.inputs[0] : node.inputs[1]) ?? node.name;

const layerOf = (node: OnnxNode): number | null => {
  const m = /\/layer\.(\d+)\//.exec(node.name);
  return m === null ? null : Number(m[1]);
};

/** The groups `options` would quantize in `model`, in the graph order of their first node. */
export function quantGroups(model: OnnxModel, options: QuantizeOptions): QuantGroup[] {
  const { rewrites } = planQuantization(model, { ...options, exclude: [] });
  const byWeight = new Map<string, { role: GroupRole; layers: Set<number>; nodes: string[] }>();
  for (const node of rewrites.keys()) {
    const weight = weightOf(node);
    const group = byWeight.get(weight) ?? { role: roleOf(node), layers: new Set<number>(), nodes: [] };
    const layer = layerOf(node);
    if (layer !== null) group.layers.add(layer);
    group.nodes.push(node.name);
    byWeight.set(weight, group);
  }
  return [...byWeight].map(([weight, g]) => ({ weight, role: g.role, layers: [...g.layers].sort((a, b) => a - b), nodes: g.nodes }));
}

/** A short name for tables: `layer 2 value`, `layers 0-3 ffn-in (shared)`, `embeddings (word_embeddings)`. */
export function groupLabel(g: QuantGroup): string {
  const first = g.layers[0];
  const last = g.layers[g.layers.length - 1];
  if (first === undefined || last === undefined) {
    const tail = /([^./]+)\.weight/.exec(g.weight)?.[1];
    return tail === undefined || tail === g.role ? g.role : `${g.role} (${tail})`;
  }
  return g.layers.length === 1 ? `layer ${first} ${g.role}` : `layers ${first}-${last} ${g.role} (shared by ${g.layers.length})`;
}
