import type { EncoderConfig, ModelType } from '../checkpoint/config.js';

export const HEADS = ['base', 'sequence-classification', 'masked-lm'] as const;
export type HeadName = (typeof HEADS)[number];

/** optimum's task names (`optimum-cli export onnx --task`) for the same heads, accepted wherever a head is named. */
export const HEAD_ALIASES: Readonly<Record<string, HeadName>> = {
  'feature-extraction': 'base',
  'text-classification': 'sequence-classification',
  'fill-mask': 'masked-lm',
};

/** A head by its albench name or its optimum alias; undefined for anything else. */
export function parseHead(name: string): HeadName | undefined {
  return (HEADS as readonly string[]).includes(name) ? (name as HeadName) : HEAD_ALIASES[name];
}

/** A Linear layer: checkpoint keys and its [out, in] shape as PyTorch stores it. */
export interface LinearKeys { readonly weight: string; readonly bias: string; readonly inFeatures: number; readonly outFeatures: number }
export interface NormKeys { readonly weight: string; readonly bias: string; readonly width: number }

export interface LayerKeys {
  readonly query: LinearKeys;
  readonly key: LinearKeys;
  readonly value: LinearKeys;
  readonly attentionOutput: LinearKeys;
  readonly attentionNorm: NormKeys;
  readonly intermediate: LinearKeys;
  readonly output: LinearKeys;
  readonly outputNorm: NormKeys;
}

/**
 * Where every weight of one architecture lives, in the order the model runs it. `layers` lists
 * the layer blocks as executed: ALBERT repeats the same keys, and whoever builds from this layout
 * reuses one tensor for every repetition.
 */
export interface EncoderLayout {
  readonly embeddings: {
    readonly word: string;
    readonly position: string;
    readonly tokenType: string;
    readonly norm: NormKeys;
    /** ALBERT's E -> H projection, applied after the embedding LayerNorm. */
    readonly projection?: LinearKeys;
  };
  readonly layers: readonly LayerKeys[];
  readonly pooler: LinearKeys;
  readonly classifier: LinearKeys;
  readonly mlm: {
    readonly transform: LinearKeys;
    readonly norm: NormKeys;
    /** Used only when config.tie_word_embeddings is false; otherwise the word embeddings are the decoder. */
    readonly decoderWeight: string;
    readonly bias: string;
    readonly decoderBias: string;
  };
}

export interface ModelSpec {
  readonly modelType: ModelType;
  /** The transformers class names start with it: `Bert` in `BertForSequenceClassification`. */
  readonly classPrefix: string;
  /** The key prefix of the encoder in head models (`bert`, `albert`). Bare models save keys without it. */
  readonly prefix: string;
  /** Top-level modules of head models, stored outside the prefix. */
  readonly headRoots: readonly string[];
  /** Keys a checkpoint may carry that no head uses (old buffers, pre-training heads). */
  readonly ignorable: readonly RegExp[];
  layout(cfg: EncoderConfig): EncoderLayout;
}

export function linear(prefix: string, inFeatures: number, outFeatures: number): LinearKeys {
  return { weight: `${prefix}.weight`, bias: `${prefix}.bias`, inFeatures, outFeatures };
}

export function norm(prefix: string, width: number): NormKeys {
  return { weight: `${prefix}.weight`, bias: `${prefix}.bias`, width };
}

const ARCHITECTURE_SUFFIX: Readonly<Record<HeadName, string>> = {
  base: 'Model',
  'sequence-classification': 'ForSequenceClassification',
  'masked-lm': 'ForMaskedLM',
};

/** The transformers class that runs `head` on this architecture, as config.json's `architectures` names it. */
export function architectureClass(spec: ModelSpec, head: HeadName): string {
  return `${spec.classPrefix}${ARCHITECTURE_SUFFIX[head]}`;
}

/** `BertForSequenceClassification` -> 'sequence-classification', etc.; bare or unknown -> 'base'. */
export function headFromArchitectures(architectures: readonly string[]): HeadName {
  const arch = architectures[0] ?? '';
  if (arch.endsWith('ForSequenceClassification')) return 'sequence-classification';
  if (arch.endsWith('ForMaskedLM') || arch.endsWith('ForPreTraining')) return 'masked-lm';
  return 'base';
}
