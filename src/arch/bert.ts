import type { EncoderConfig } from '../checkpoint/config.js';
import { linear, norm, type LayerKeys, type ModelSpec } from './types.js';

function bertLayer(p: string, hidden: number, intermediate: number): LayerKeys {
  return {
    query: linear(`${p}.attention.self.query`, hidden, hidden),
    key: linear(`${p}.attention.self.key`, hidden, hidden),
    value: linear(`${p}.attention.self.value`, hidden, hidden),
    attentionOutput: linear(`${p}.attention.output.dense`, hidden, hidden),
    attentionNorm: norm(`${p}.attention.output.LayerNorm`, hidden),
    intermediate: linear(`${p}.intermediate.dense`, hidden, intermediate),
    output: linear(`${p}.output.dense`, intermediate, hidden),
    outputNorm: norm(`${p}.output.LayerNorm`, hidden),
  };
}

export const bert: ModelSpec = {
  modelType: 'bert',
  classPrefix: 'Bert',
  prefix: 'bert',
  headRoots: ['classifier', 'cls'],
  ignorable: [/^bert\.embeddings\.(position_ids|token_type_ids)$/, /^cls\.seq_relationship\./, /^cls\.predictions\.decoder\./],
  layout(cfg: EncoderConfig) {
    const H = cfg.hiddenSize;
    return {
      embeddings: {
        word: 'bert.embeddings.word_embeddings.weight',
        position: 'bert.embeddings.position_embeddings.weight',
        tokenType: 'bert.embeddings.token_type_embeddings.weight',
        norm: norm('bert.embeddings.LayerNorm', H),
      },
      layers: Array.from({ length: cfg.numHiddenLayers }, (_, i) => bertLayer(`bert.encoder.layer.${i}`, H, cfg.intermediateSize)),
      pooler: linear('bert.pooler.dense', H, H),
      classifier: linear('classifier', H, cfg.numLabels),
      mlm: {
        transform: linear('cls.predictions.transform.dense', H, H),
        norm: norm('cls.predictions.transform.LayerNorm', H),
        decoderWeight: 'cls.predictions.decoder.weight',
        bias: 'cls.predictions.bias',
        decoderBias: 'cls.predictions.decoder.bias',
      },
    };
  },
};
