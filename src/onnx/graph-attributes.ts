import type { OnnxNode } from './model.js';

/**
 * A node's attribute of one kind, or null when it is absent or of another kind: the caller
 * supplies the operator's default (`attrInt(n, 'transB') ?? 0`).
 */
export function attrInt(node: OnnxNode, name: string): number | null {
  const a = node.attributes[name];
  return a?.kind === 'int' ? a.value : null;
}

export function attrFloat(node: OnnxNode, name: string): number | null {
  const a = node.attributes[name];
  return a?.kind === 'float' ? a.value : null;
}

export function attrInts(node: OnnxNode, name: string): readonly number[] | null {
  const a = node.attributes[name];
  return a?.kind === 'ints' ? a.value : null;
}
