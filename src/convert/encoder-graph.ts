import type { EncoderConfig } from '../checkpoint/config.js';
import { UnsupportedError } from '../errors.js';
import { GraphBuilder, type Value } from '../onnx/builder.js';
import { attr } from '../onnx/model.js';
import { MODEL_INPUT_NAMES } from '../onnx/model-inputs.js';
import { activationOf, type ActivationName } from './activations.js';
import type { EncoderLayout, HeadName, LayerKeys, LinearKeys, NormKeys } from '../arch/types.js';
import type { Weights } from './weights.js';

/** transformers adds (1 - mask) * finfo(float32).min to the attention scores; so do we. */
const MASK_FILL = -3.4028234663852886e38;

interface Ctx { readonly g: GraphBuilder; readonly w: Weights; readonly cfg: EncoderConfig }

/** x @ W^T + b with W pre-transposed, the MatMul+Add pair onnxruntime's fusions look for. */
function dense({ g, w }: Ctx, x: Value, k: LinearKeys): Value {
  const weight = g.initializer(`${k.weight}.T`, w.transposed(k.weight, k.outFeatures, k.inFeatures));
  const bias = g.initializer(k.bias, w.tensor(k.bias, [k.outFeatures]));
  return g.op1('Add', [g.op1('MatMul', [x, weight]), bias]);
}

/** Linear on a 2-D input: Gemm with transB keeps the weight exactly as stored. */
function gemm({ g, w }: Ctx, x: Value, k: LinearKeys): Value {
  const weight = g.initializer(k.weight, w.tensor(k.weight, [k.outFeatures, k.inFeatures]));
  const bias = g.initializer(k.bias, w.tensor(k.bias, [k.outFeatures]));
  return g.op1('Gemm', [x, weight, bias], { transB: attr.int(1) });
}

function layerNorm({ g, w, cfg }: Ctx, x: Value, k: NormKeys): Value {
  const scale = g.initializer(k.weight, w.tensor(k.weight, [k.width]));
  const bias = g.initializer(k.bias, w.tensor(k.bias, [k.width]));
  if (g.opset >= 17) return g.op1('LayerNormalization', [x, scale, bias], { axis: attr.int(-1), epsilon: attr.float(cfg.layerNormEps) });
  // Before opset 17 LayerNormalization does not exist: spell it out (ReduceMean keeps `axes` as an attribute there).
  const mean = g.op1('ReduceMean', [x], { axes: attr.ints([-1]) });
  const centered = g.op1('Sub', [x, mean]);
  const variance = g.op1('ReduceMean', [g.op1('Mul', [centered, centered])], { axes: attr.ints([-1]) });
  const std = g.op1('Sqrt', [g.op1('Add', [variance, g.scalar(cfg.layerNormEps)])]);
  return g.op1('Add', [g.op1('Mul', [g.op1('Div', [centered, std]), scale]), bias]);
}

function activation(g: GraphBuilder, act: ActivationName, x: Value): Value {
  switch (act) {
    case 'gelu': {
      const erf = g.op1('Erf', [g.op1('Div', [x, g.scalar(Math.SQRT2)])]);
      return g.op1('Mul', [g.op1('Mul', [x, g.op1('Add', [erf, g.scalar(1)])]), g.scalar(0.5)]);
    }
    case 'gelu_new': {
      const cube = g.op1('Pow', [x, g.scalar(3)]);
      const inner = g.op1('Mul', [g.op1('Add', [x, g.op1('Mul', [cube, g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))]);
      return g.op1('Mul', [g.op1('Mul', [x, g.scalar(0.5)]), g.op1('Add', [g.op1('Tanh', [inner]), g.scalar(1)])]);
    }
    case 'relu': return g.op1('Relu', [x]);
    case 'silu': return g.op1('Mul', [x, g.op1('Sigmoid', [x])]);
    case 'quick_gelu': return g.op1('Mul', [x, g.op1('Sigmoid', [g.op1('Mul', [x, g.scalar(1.702)])])]);
    case 'tanh': return g.op1('Tanh', [x]);
    case 'sigmoid': return g.op1('Sigmoid', [x]);
  }
}

function embeddings(c: Ctx, layout: EncoderLayout, inputIds: Value, tokenTypeIds: Value): Value {
  const { g, w, cfg } = c;
  const e = layout.embeddings;
  const E = cfg.embeddingSize;
  return g.scope('embeddings', () => {
    const word = g.op1('Gather', [g.initializer(e.word, w.tensor(e.word, [cfg.vocabSize, E])), inputIds]);
    // position_ids = cumsum(ones_like(input_ids)) - 1, computed elementwise from input_ids so shape
    // inference keeps [batch_size, sequence_length]; with Range the sequence axis became unknown and
    // onnxruntime skipped its SkipLayerNormalization and Attention fusions.
    const ones = g.op1('Add', [g.op1('Mul', [inputIds, g.constant('int64', [], [0])]), g.constant('int64', [], [1])]);
    const positions = g.op1('Sub', [g.op1('CumSum', [ones, g.constant('int64', [], [1])]), g.constant('int64', [], [1])]);
    const position = g.op1('Gather', [g.initializer(e.position, w.tensor(e.position, [cfg.maxPositionEmbeddings, E])), positions]);
    const tokenType = g.op1('Gather', [g.initializer(e.tokenType, w.tensor(e.tokenType, [cfg.typeVocabSize, E])), tokenTypeIds]);
    const summed = g.op1('Add', [g.op1('Add', [word, tokenType]), position]);
    const normed = layerNorm(c, summed, e.norm);
    return e.projection ? g.scope('embedding_hidden_mapping_in', () => dense(c, normed, e.projection as LinearKeys)) : normed;
  });
}

/** [B, T] mask of 1/0 -> [B, 1, 1, T] additive bias: 0 where attended, float32 min where padded. */
function attentionBias(g: GraphBuilder, attentionMask: Value): Value {
  return g.scope('extended_attention_mask', () => {
    const mask = g.op1('Cast', [g.op1('Unsqueeze', [attentionMask, g.ints([1, 2])])], { to: attr.int(1) });
    return g.op1('Mul', [g.op1('Sub', [g.scalar(1), mask]), g.scalar(MASK_FILL)]);
  });
}

function layer(c: Ctx, x: Value, bias: Value, k: LayerKeys): Value {
  const { g, cfg } = c;
  const heads = cfg.numAttentionHeads;
  const headSize = cfg.hiddenSize / heads;
  const splitHeads = (v: Value, perm: number[]) => g.op1('Transpose', [g.op1('Reshape', [v, g.ints([0, 0, heads, headSize])])], { perm: attr.ints(perm) });
  const attended = g.scope('attention', () => {
    const q = splitHeads(g.scope('query', () => dense(c, x, k.query)), [0, 2, 1, 3]);
    const kT = splitHeads(g.scope('key', () => dense(c, x, k.key)), [0, 2, 3, 1]);
    const v = splitHeads(g.scope('value', () => dense(c, x, k.value)), [0, 2, 1, 3]);
    const scores = g.op1('Add', [g.op1('Div', [g.op1('MatMul', [q, kT]), g.scalar(Math.sqrt(headSize))]), bias]);
    const probs = g.op1('Softmax', [scores], { axis: attr.int(-1) });
    const context = g.op1('Reshape', [g.op1('Transpose', [g.op1('MatMul', [probs, v])], { perm: attr.ints([0, 2, 1, 3]) }), g.ints([0, 0, cfg.hiddenSize])]);
    const projected = g.scope('output', () => dense(c, context, k.attentionOutput));
    return layerNorm(c, g.op1('Add', [projected, x]), k.attentionNorm);
  });
  return g.scope('ffn', () => {
    const hidden = activation(g, activationOf(cfg.hiddenAct), g.scope('intermediate', () => dense(c, attended, k.intermediate)));
    const out = g.scope('output', () => dense(c, hidden, k.output));
    return layerNorm(c, g.op1('Add', [out, attended]), k.outputNorm);
  });
}

/** The hidden state of token 0 ([CLS]) through dense + tanh. */
function pooler(c: Ctx, hidden: Value, k: LinearKeys): Value {
  const { g } = c;
  return g.scope('pooler', () => {
    const first = g.op1('Gather', [hidden, g.constant('int64', [], [0])], { axis: attr.int(1) });
    return g.op1('Tanh', [gemm(c, first, k)]);
  });
}

function maskedLmHead(c: Ctx, layout: EncoderLayout, hidden: Value): Value {
  const { g, w, cfg } = c;
  const m = layout.mlm;
  return g.scope('predictions', () => {
    const transformed = layerNorm(c, activation(g, activationOf(cfg.hiddenAct), dense(c, hidden, m.transform)), m.norm);
    // The decoder is the word-embedding matrix itself (tied), used with transB so it is stored once.
    const decoderKey = cfg.tieWordEmbeddings ? layout.embeddings.word : m.decoderWeight;
    const decoder = g.initializer(decoderKey, w.tensor(decoderKey, [cfg.vocabSize, cfg.embeddingSize]));
    const biasKey = w.has(m.bias) ? m.bias : m.decoderBias;
    const bias = g.initializer(biasKey, w.tensor(biasKey, [cfg.vocabSize]));
    const flat = g.op1('Reshape', [transformed, g.ints([-1, cfg.embeddingSize])]);
    const logits = g.op1('Gemm', [flat, decoder, bias], { transB: attr.int(1) });
    const batchAndSeq = g.op1('Slice', [g.op1('Shape', [hidden]), g.ints([0]), g.ints([2])]);
    return g.op1('Reshape', [logits, g.op1('Concat', [batchAndSeq, g.ints([cfg.vocabSize])], { axis: attr.int(0) })]);
  });
}

/** Builds the whole graph for one head: inputs, encoder, head outputs. */
export function buildEncoderGraph(g: GraphBuilder, w: Weights, cfg: EncoderConfig, layout: EncoderLayout, head: HeadName): void {
  const c: Ctx = { g, w, cfg };
  const inputs = MODEL_INPUT_NAMES.map((name) => g.input(name, 'int64', ['batch_size', 'sequence_length']));
  const [inputIds, attentionMask, tokenTypeIds] = inputs as [Value, Value, Value];
  const hasPooler = w.has(layout.pooler.weight);
  if (head === 'sequence-classification' && !hasPooler) {
    throw new UnsupportedError(
      `the checkpoint has no pooler ("${layout.pooler.weight}"), which sequence-classification needs; convert with --task base or masked-lm`);
  }
  let hidden = embeddings(c, layout, inputIds, tokenTypeIds);
  const bias = attentionBias(g, attentionMask);
  layout.layers.forEach((k, i) => {
    hidden = g.scope(`encoder/layer.${i}`, () => layer(c, hidden, bias, k));
  });
  const H = cfg.hiddenSize;
  if (head === 'base') {
    g.output(hidden, 'last_hidden_state', 'float32', ['batch_size', 'sequence_length', H]);
    if (hasPooler) g.output(pooler(c, hidden, layout.pooler), 'pooler_output', 'float32', ['batch_size', H]);
  } else if (head === 'sequence-classification') {
    const logits = g.scope('classifier', () => gemm(c, pooler(c, hidden, layout.pooler), layout.classifier));
    g.output(logits, 'logits', 'float32', ['batch_size', cfg.numLabels]);
  } else {
    g.output(maskedLmHead(c, layout, hidden), 'logits', 'float32', ['batch_size', 'sequence_length', cfg.vocabSize]);
  }
}
