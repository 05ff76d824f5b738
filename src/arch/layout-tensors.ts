import type { EncoderConfig } from '../checkpoint/config.js';
import type { EncoderLayout, HeadName, LinearKeys, NormKeys } from './types.js';

export type Component = 'embeddings' | 'encoder' | 'pooler' | 'head';
export type Role = 'matrix' | 'bias' | 'norm-weight' | 'norm-bias' | 'embedding';

interface LayoutTensor { readonly key: string; readonly shape: readonly number[]; readonly role: Role; readonly component: Component }

/**
 * Every tensor one head of the model runs, in execution order: a shared tensor appears once per
 * use. Counting these gives "executed" parameters; counting distinct keys gives "unique" ones.
 */
export function layoutTensors(cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, hasPooler = true): LayoutTensor[] {
  const out: LayoutTensor[] = [];
  const lin = (k: LinearKeys, component: Component) => {
    out.push({ key: k.weight, shape: [k.outFeatures, k.inFeatures], role: 'matrix', component });
    out.push({ key: k.bias, shape: [k.outFeatures], role: 'bias', component });
  };
  const ln = (k: NormKeys, component: Component) => {
    out.push({ key: k.weight, shape: [k.width], role: 'norm-weight', component });
    out.push({ key: k.bias, shape: [k.width], role: 'norm-bias', component });
  };
  const e = layout.embeddings;
  const E = cfg.embeddingSize;
  out.push({ key: e.word, shape: [cfg.vocabSize, E], role: 'embedding', component: 'embeddings' });
  out.push({ key: e.position, shape: [cfg.maxPositionEmbeddings, E], role: 'embedding', component: 'embeddings' });
  out.push({ key: e.tokenType, shape: [cfg.typeVocabSize, E], role: 'embedding', component: 'embeddings' });
  ln(e.norm, 'embeddings');
  if (e.projection) lin(e.projection, 'encoder');
  for (const k of layout.layers) {
    for (const l of [k.query, k.key, k.value, k.attentionOutput]) lin(l, 'encoder');
    ln(k.attentionNorm, 'encoder');
    lin(k.intermediate, 'encoder');
    lin(k.output, 'encoder');
    ln(k.outputNorm, 'encoder');
  }
  if (head === 'masked-lm') {
    const m = layout.mlm;
    lin(m.transform, 'head');
    ln(m.norm, 'head');
    out.push({ key: m.bias, shape: [cfg.vocabSize], role: 'bias', component: 'head' });
    if (!cfg.tieWordEmbeddings) out.push({ key: m.decoderWeight, shape: [cfg.vocabSize, E], role: 'embedding', component: 'head' });
    return out;
  }
  if (hasPooler) lin(layout.pooler, 'pooler');
  if (head === 'sequence-classification') lin(layout.classifier, 'head');
  return out;
}
