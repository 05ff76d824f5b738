import type { EncoderConfig } from '../checkpoint/config.js';
import { numel } from '../tensor.js';
import { layoutTensors, type Component } from './layout-tensors.js';
import type { EncoderLayout, HeadName } from './types.js';

type ByComponent = Record<Component, number>;

export interface ParamCounts {
  /** Each stored tensor counted once, as `sum(p.numel() for p in model.parameters())` counts them. */
  readonly unique: { readonly total: number; readonly byComponent: ByComponent };
  /** Each tensor counted every time a layer runs it: what the compute sees. Equals unique for BERT. */
  readonly executed: { readonly total: number; readonly byComponent: ByComponent };
}

const zero = (): ByComponent => ({ embeddings: 0, encoder: 0, pooler: 0, head: 0 });
const sum = (c: ByComponent) => c.embeddings + c.encoder + c.pooler + c.head;

export function countParams(cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, hasPooler = true): ParamCounts {
  const unique = zero();
  const executed = zero();
  const seen = new Set<string>();
  for (const t of layoutTensors(cfg, layout, head, hasPooler)) {
    const n = numel(t.shape);
    executed[t.component] += n;
    if (seen.has(t.key)) continue;
    seen.add(t.key);
    unique[t.component] += n;
  }
  return { unique: { total: sum(unique), byComponent: unique }, executed: { total: sum(executed), byComponent: executed } };
}
