import type { EncoderConfig } from '../checkpoint/config.js';
import { linear, norm, type LayerKeys, type ModelSpec } from './types.js';

function albertLayer(p: string, hidden: number, intermediate: number): LayerKeys {
  return {
    query: linear(`${p}.attention.query`, hidden, hidden),
    key: linear(`${p}.attention.key`, hidden, hidden),
    value: linear(`${p}.attention.value`, hidden, hidden),
    attentionOutput: linear(`${p}.attention.dense`, hidden, hidden),
    attentionNorm: norm(`${p}.attention.LayerNorm`, hidden),
    intermediate: linear(`${p}.ffn`, hidden, intermediate),
    output: linear(`${p}.ffn_output`, intermediate, hidden),
    outputNorm: norm(`${p}.full_layer_layer_norm`, hidden),
  };
}

/**
 * ALBERT is BERT with E-wide embeddings projected to H, and layer groups shared across depth:
 * outer layer i runs every inner layer of group floor(i / (L / G)), as transformers does.
 */
function albertLayerOrder(cfg: EncoderConfig): Array<{ group: number; inner: number }> {
  const order: Array<{ group: number; inner: number }> = [];
  for (let i = 0; i < cfg.numHiddenLayers; i++) {
    const group = Math.floor(i / (cfg.numHiddenLayers / cfg.numHiddenGroups));
    for (let inner = 0; inner < cfg.innerGroupNum; inner++) order.push({ group, inner });
  }
  return order;
}

export const albert: ModelSpec = {
  modelType: 'albert',
  classPrefix: 'Albert',
  prefix: 'albert',
  headRoots: ['classifier', 'predictions', 'sop_classifier'],
  ignorable: [/^albert\.embeddings\.(position_ids|token_type_ids)$/, /^sop_classifier\./, /^predictions\.decoder\./],
  layout(cfg: EncoderConfig) {
    const H = cfg.hiddenSize;
    const E = cfg.embeddingSize;
    return {
      embeddings: {
        word: 'albert.embeddings.word_embeddings.weight',
        position: 'albert.embeddings.position_embeddings.weight',
        tokenType: 'albert.embeddings.token_type_embeddings.weight',
        norm: norm('albert.embeddings.LayerNorm', E),
        projection: linear('albert.encoder.embedding_hidden_mapping_in', E, H),
      },
      layers: albertLayerOrder(cfg).map(({ group, inner }) =>
        albertLayer(`albert.encoder.albert_layer_groups.${group}.albert_layers.${inner}`, H, cfg.intermediateSize)),
      pooler: linear('albert.pooler', H, H),
      classifier: linear('classifier', H, cfg.numLabels),
      mlm: {
        transform: linear('predictions.dense', H, E),
        norm: norm('predictions.LayerNorm', E),
        decoderWeight: 'predictions.decoder.weight',
        bias: 'predictions.bias',
        decoderBias: 'predictions.decoder.bias',
      },
    };
  },
};
