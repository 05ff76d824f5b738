import type { OnnxNode } from './model.js';

/** A plain node; '' marks an omitted optional input, and trailing ones are dropped. */
export function makeNode(
  opType: string,
  name: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: OnnxNode['attributes'] = {},
  domain = '',
): OnnxNode {
  let end = inputs.length;
  while (end > 0 && inputs[end - 1] === '') end--;
  return { opType, domain, name, inputs: inputs.slice(0, end), outputs, attributes };
}
