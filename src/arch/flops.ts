import type { EncoderConfig } from '../checkpoint/config.js';
import type { EncoderLayout, HeadName, LinearKeys } from './types.js';

/**
 * Floating-point operations of one forward pass over a [batch, sequence] input, counting matrix
 * products only, at 2 FLOPs per multiply-add (2*M*N*K for an [M,K] x [K,N] product).
 *
 * With B = batch, T = sequence length, H = hidden, E = embedding width, I = intermediate,
 * V = vocabulary, C = labels, and L' = layers as executed (ALBERT runs its shared layers once per
 * depth, so L' = num_hidden_layers * inner_group_num however few of them are stored):
 *   embedding projection (ALBERT)  2*B*T*E*H
 *   attention projections          L' * 4 * 2*B*T*H*H        (query, key, value, output)
 *   attention scores               L' * 2 * 2*B*T*T*H        (Q K^T and P V, over all heads)
 *   feed-forward                   L' * 2 * 2*B*T*H*I
 *   pooler (when the head runs it) 2*B*H*H
 *   head                           classification 2*B*H*C; masked-lm 2*B*T*H*E' + 2*B*T*E*V
 *                                  (E' = E for ALBERT's transform, H for BERT's); base 0
 * Left out: bias adds, LayerNorm, softmax, activations and embedding gathers. They are O(B*T*H)
 * or O(B*T*T*heads) element-wise work, a few percent at most, and not what a GFLOP/s figure
 * compares.
 */
export interface FlopCount {
  readonly total: number;
  readonly byPart: {
    readonly embeddingProjection: number;
    readonly attentionProjections: number;
    readonly attentionScores: number;
    readonly feedForward: number;
    readonly pooler: number;
    readonly head: number;
  };
}

export function inferenceFlops(
  cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, hasPooler: boolean, batchSize: number, sequenceLength: number,
): FlopCount {
  const tokens = batchSize * sequenceLength;
  const linear = (k: LinearKeys, rows: number) => 2 * rows * k.inFeatures * k.outFeatures;
  const H = cfg.hiddenSize;

  const projection = layout.embeddings.projection;
  const embeddingProjection = projection ? linear(projection, tokens) : 0;
  let attentionProjections = 0;
  let attentionScores = 0;
  let feedForward = 0;
  for (const k of layout.layers) {
    attentionProjections += linear(k.query, tokens) + linear(k.key, tokens) + linear(k.value, tokens) + linear(k.attentionOutput, tokens);
    attentionScores += 2 * (2 * batchSize * sequenceLength * sequenceLength * H);
    feedForward += linear(k.intermediate, tokens) + linear(k.output, tokens);
  }
  // The graph runs the pooler for the base and classification heads, never for masked-lm.
  const pooler = hasPooler && head !== 'masked-lm' ? linear(layout.pooler, batchSize) : 0;
  let headFlops = 0;
  if (head === 'sequence-classification') headFlops = linear(layout.classifier, batchSize);
  if (head === 'masked-lm') headFlops = linear(layout.mlm.transform, tokens) + 2 * tokens * cfg.embeddingSize * cfg.vocabSize;

  const byPart = { embeddingProjection, attentionProjections, attentionScores, feedForward, pooler, head: headFlops };
  return { total: Object.values(byPart).reduce((a, b) => a + b, 0), byPart };
}
