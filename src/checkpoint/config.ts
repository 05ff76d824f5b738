import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readFileInside } from '../util/safe-read.js';

export type ModelType = 'bert' | 'albert';

/** A validated encoder config: every field albench uses, with HF's defaults filled in. */
export interface EncoderConfig {
  readonly modelType: ModelType;
  readonly architectures: readonly string[];
  readonly vocabSize: number;
  readonly hiddenSize: number;
  /** ALBERT's factorised embedding width E; equals hiddenSize for BERT. */
  readonly embeddingSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly maxPositionEmbeddings: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  readonly numHiddenGroups: number;
  readonly innerGroupNum: number;
  readonly numLabels: number;
  readonly id2label: Readonly<Record<string, string>>;
  readonly tieWordEmbeddings: boolean;
  readonly padTokenId: number;
}

/** Sizes past these are not real models; refuse before allocating anything. */
const CONFIG_LIMITS = {
  vocabSize: 4_000_000,
  hiddenSize: 65_536,
  embeddingSize: 65_536,
  numHiddenLayers: 1_024,
  numAttentionHeads: 1_024,
  intermediateSize: 1_048_576,
  maxPositionEmbeddings: 1_048_576,
  typeVocabSize: 1_024,
  numHiddenGroups: 1_024,
  innerGroupNum: 64,
  numLabels: 100_000,
} as const;

const DEFAULTS: Readonly<Record<ModelType, Record<string, number | string>>> = {
  bert: {
    vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072,
    hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, layer_norm_eps: 1e-12,
  },
  albert: {
    vocab_size: 30000, embedding_size: 128, hidden_size: 4096, num_hidden_layers: 12, num_hidden_groups: 1,
    num_attention_heads: 64, intermediate_size: 16384, inner_group_num: 1, hidden_act: 'gelu_new',
    max_position_embeddings: 512, type_vocab_size: 2, layer_norm_eps: 1e-12,
  },
};

/** Real configs are a few kB; this bounds what a hostile one (a link to /dev/zero, a huge file) can cost. */
const CONFIG_MAX_BYTES = 16 * 2 ** 20;

/** config.json, read from inside its folder (not through a link out of it) and only if it is a regular file. */
export function readConfigFile(file: string): EncoderConfig {
  const bytes = readFileInside(path.dirname(file), path.basename(file), { maxBytes: CONFIG_MAX_BYTES, refuse: (f, p) => new ConfigError(f, p) });
  if (bytes === null) throw new ConfigError(file, 'does not exist; a checkpoint folder needs a config.json');
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(file, 'is not valid JSON');
  }
  return parseConfig(json, file);
}

export function parseConfig(json: unknown, file: string): EncoderConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(file, 'is not a JSON object');
  const raw = json as Record<string, unknown>;
  const modelType = raw['model_type'];
  if (modelType !== 'bert' && modelType !== 'albert') {
    throw new ConfigError(file, `model_type is ${JSON.stringify(modelType)}; albench converts "bert" and "albert" models`);
  }
  const get = (key: string): unknown => (raw[key] === undefined || raw[key] === null ? DEFAULTS[modelType][key] : raw[key]);
  const int = (key: string, limit: number, min = 1): number => {
    const v = get(key);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ConfigError(file, `"${key}" must be an integer, got ${JSON.stringify(v)}`);
    if (v < min || v > limit) throw new ConfigError(file, `"${key}" is ${v}; it must be between ${min} and ${limit}`);
    return v;
  };
  const L = CONFIG_LIMITS;
  const hiddenSize = int('hidden_size', L.hiddenSize);
  const numAttentionHeads = int('num_attention_heads', L.numAttentionHeads);
  if (hiddenSize % numAttentionHeads !== 0) {
    throw new ConfigError(file, `hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${numAttentionHeads}`);
  }
  const numHiddenLayers = int('num_hidden_layers', L.numHiddenLayers);
  const isAlbert = modelType === 'albert';
  const numHiddenGroups = isAlbert ? int('num_hidden_groups', L.numHiddenGroups) : 1;
  if (numHiddenGroups > numHiddenLayers) {
    throw new ConfigError(file, `num_hidden_groups ${numHiddenGroups} is larger than num_hidden_layers ${numHiddenLayers}`);
  }
  const eps = get('layer_norm_eps');
  if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new ConfigError(file, `"layer_norm_eps" must be a number in (0, 1), got ${JSON.stringify(eps)}`);
  const act = get('hidden_act');
  if (typeof act !== 'string') throw new ConfigError(file, `"hidden_act" must be a string, got ${JSON.stringify(act)}`);
  const positionType = raw['position_embedding_type'] ?? 'absolute';
  if (positionType !== 'absolute') {
    throw new ConfigError(file, `position_embedding_type "${String(positionType)}" is not supported; albench builds absolute position embeddings`);
  }
  const { numLabels, id2label } = parseLabels(raw, file);
  const architectures = Array.isArray(raw['architectures']) ? raw['architectures'].filter((a): a is string => typeof a === 'string') : [];
  const padRaw = raw['pad_token_id'];
  return {
    modelType,
    architectures,
    vocabSize: int('vocab_size', L.vocabSize),
    hiddenSize,
    embeddingSize: isAlbert ? int('embedding_size', L.embeddingSize) : hiddenSize,
    numHiddenLayers,
    numAttentionHeads,
    intermediateSize: int('intermediate_size', L.intermediateSize),
    hiddenAct: act,
    maxPositionEmbeddings: int('max_position_embeddings', L.maxPositionEmbeddings),
    typeVocabSize: int('type_vocab_size', L.typeVocabSize),
    layerNormEps: eps,
    numHiddenGroups,
    innerGroupNum: isAlbert ? int('inner_group_num', L.innerGroupNum) : 1,
    numLabels,
    id2label,
    tieWordEmbeddings: raw['tie_word_embeddings'] !== false,
    padTokenId: typeof padRaw === 'number' && Number.isInteger(padRaw) ? padRaw : 0,
  };
}

/** HF never writes num_labels: it is len(id2label), and a config without id2label has 2 labels. */
function parseLabels(raw: Record<string, unknown>, file: string): { numLabels: number; id2label: Record<string, string> } {
  const given = raw['id2label'];
  if (given !== undefined && given !== null) {
    if (typeof given !== 'object' || Array.isArray(given)) throw new ConfigError(file, '"id2label" must be an object such as {"0": "negative"}');
    const entries = Object.entries(given as Record<string, unknown>);
    if (entries.length === 0 || entries.length > CONFIG_LIMITS.numLabels) {
      throw new ConfigError(file, `"id2label" has ${entries.length} entries; it needs 1 to ${CONFIG_LIMITS.numLabels}`);
    }
    const id2label: Record<string, string> = {};
    for (const [id, label] of entries) {
      const n = Number(id);
      if (!Number.isInteger(n) || n < 0 || n >= entries.length) {
        throw new ConfigError(file, `"id2label" key ${JSON.stringify(id)} is not an id in 0..${entries.length - 1}`);
      }
      id2label[String(n)] = String(label);
    }
    return { numLabels: entries.length, id2label };
  }
  const n = raw['num_labels'] ?? 2;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > CONFIG_LIMITS.numLabels) {
    throw new ConfigError(file, `"num_labels" must be an integer from 1 to ${CONFIG_LIMITS.numLabels}, got ${JSON.stringify(n)}`);
  }
  const id2label: Record<string, string> = {};
  for (let i = 0; i < n; i++) id2label[String(i)] = `LABEL_${i}`;
  return { numLabels: n, id2label };
}
