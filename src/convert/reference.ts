import type { EncoderConfig } from '../checkpoint/config.js';
import { activate, activationOf } from './activations.js';
import type { EncoderLayout, HeadName, LinearKeys, NormKeys } from '../arch/types.js';
import type { Weights } from './weights.js';
import { yieldToEventLoop } from '../util/steps.js';

/**
 * A forward pass in float64, read top to bottom like transformers' modelling code. Its arithmetic
 * is written apart from the graph builder's, so a wrong op, axis, mask or head in the graph shows
 * up as a difference; but it reads the same Weights (loading, key variants, [out, in] layout), the
 * same EncoderLayout (which key plays which part, ALBERT's layer-to-group sharing), the same parsed
 * config and the same hidden_act mapping, so a mistake there is made by both and passes. Those are
 * checked against transformers' own outputs by test/convert/golden.test.ts. It is async only to
 * let the event loop run every few tens of milliseconds: on a base-size model it is seconds of
 * arithmetic, and Ctrl-C must not wait for it.
 */
export interface EncoderInputs {
  readonly batch: number;
  readonly seq: number;
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

interface ReferenceOutput { readonly dims: number[]; readonly data: Float64Array }

/** Multiply-adds between two yields to the event loop: a small fraction of a second (a base-size MLM decoder is 23M a row). */
const MACS_PER_YIELD = 2 ** 25;

/** y[n, out] = x[n, in] @ W[out, in]^T + b, yielding first (reading W may mean generating it) and every MACS_PER_YIELD. */
async function linear(w: Weights, x: Float64Array, rows: number, k: LinearKeys): Promise<Float64Array> {
  await yieldToEventLoop();
  const W = w.array(k.weight, [k.outFeatures, k.inFeatures]);
  const b = w.array(k.bias, [k.outFeatures]);
  const y = new Float64Array(rows * k.outFeatures);
  const xi = new Float64Array(k.inFeatures);
  let sinceYield = 0;
  for (let r = 0; r < rows; r++) {
    if (sinceYield >= MACS_PER_YIELD) {
      await yieldToEventLoop();
      sinceYield = 0;
    }
    sinceYield += k.inFeatures * k.outFeatures;
    for (let i = 0; i < k.inFeatures; i++) xi[i] = x[r * k.inFeatures + i] as number;
    for (let o = 0; o < k.outFeatures; o++) {
      let acc = b[o] as number;
      const base = o * k.inFeatures;
      for (let i = 0; i < k.inFeatures; i++) acc += (xi[i] as number) * (W[base + i] as number);
      y[r * k.outFeatures + o] = acc;
    }
  }
  return y;
}

function layerNorm(w: Weights, x: Float64Array, rows: number, k: NormKeys, eps: number): Float64Array {
  const g = w.array(k.weight, [k.width]);
  const b = w.array(k.bias, [k.width]);
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    const off = r * k.width;
    let mean = 0;
    for (let i = 0; i < k.width; i++) mean += x[off + i] as number;
    mean /= k.width;
    let variance = 0;
    for (let i = 0; i < k.width; i++) variance += ((x[off + i] as number) - mean) ** 2;
    variance /= k.width;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < k.width; i++) y[off + i] = ((x[off + i] as number) - mean) * inv * (g[i] as number) + (b[i] as number);
  }
  return y;
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + (b[i] as number));
}

/** Each head's softmax(q k^T / sqrt(d) + mask) v; a masked position gets float32's lowest value, as in transformers. */
function selfAttention(q: Float64Array, kk: Float64Array, v: Float64Array, inp: EncoderInputs, H: number, heads: number): Float64Array {
  const { batch: B, seq: T } = inp;
  const d = H / heads;
  const context = new Float64Array(B * T * H);
  const scores = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < T; i++) {
        let max = -Infinity;
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let e = 0; e < d; e++) s += (q[(b * T + i) * H + h * d + e] as number) * (kk[(b * T + j) * H + h * d + e] as number);
          s = s / Math.sqrt(d) + (inp.attentionMask[b * T + j] === 1n ? 0 : -3.4028234663852886e38);
          scores[j] = s;
          if (s > max) max = s;
        }
        let total = 0;
        for (let j = 0; j < T; j++) {
          scores[j] = Math.exp((scores[j] as number) - max);
          total += scores[j] as number;
        }
        for (let j = 0; j < T; j++) {
          const p = (scores[j] as number) / total;
          for (let e = 0; e < d; e++) context[(b * T + i) * H + h * d + e] =
            (context[(b * T + i) * H + h * d + e] as number) + p * (v[(b * T + j) * H + h * d + e] as number);
        }
      }
    }
  }
  return context;
}

export async function referenceForward(
  w: Weights, cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, inp: EncoderInputs,
): Promise<Record<string, ReferenceOutput>> {
  const { batch: B, seq: T } = inp;
  const N = B * T;
  const E = cfg.embeddingSize;
  const H = cfg.hiddenSize;
  const heads = cfg.numAttentionHeads;
  const act = activationOf(cfg.hiddenAct);
  const eps = cfg.layerNormEps;

  // Embeddings: word + token type + position, LayerNorm, (ALBERT) project E -> H.
  const emb = layout.embeddings;
  await yieldToEventLoop();
  const word = w.array(emb.word, [cfg.vocabSize, E]);
  const pos = w.array(emb.position, [cfg.maxPositionEmbeddings, E]);
  const type = w.array(emb.tokenType, [cfg.typeVocabSize, E]);
  let x: Float64Array = new Float64Array(N * E);
  for (let n = 0; n < N; n++) {
    const id = Number(inp.inputIds[n]);
    const tt = Number(inp.tokenTypeIds[n]);
    const t = n % T;
    for (let i = 0; i < E; i++) x[n * E + i] = (word[id * E + i] as number) + (type[tt * E + i] as number) + (pos[t * E + i] as number);
  }
  x = layerNorm(w, x, N, emb.norm, eps);
  if (emb.projection) x = await linear(w, x, N, emb.projection);

  for (const k of layout.layers) {
    const q = await linear(w, x, N, k.query);
    const kk = await linear(w, x, N, k.key);
    const v = await linear(w, x, N, k.value);
    const context = selfAttention(q, kk, v, inp, H, heads);
    const attended = layerNorm(w, add(await linear(w, context, N, k.attentionOutput), x), N, k.attentionNorm, eps);
    const inner = (await linear(w, attended, N, k.intermediate)).map((u) => activate(act, u));
    x = layerNorm(w, add(await linear(w, inner, N, k.output), attended), N, k.outputNorm, eps);
  }

  const pooled = async () => {
    const first = new Float64Array(B * H);
    for (let b = 0; b < B; b++) first.set(x.subarray(b * T * H, b * T * H + H), b * H);
    return (await linear(w, first, B, layout.pooler)).map(Math.tanh);
  };
  if (head === 'base') {
    const out: Record<string, ReferenceOutput> = { last_hidden_state: { dims: [B, T, H], data: x } };
    if (w.has(layout.pooler.weight)) out['pooler_output'] = { dims: [B, H], data: await pooled() };
    return out;
  }
  if (head === 'sequence-classification') {
    return { logits: { dims: [B, cfg.numLabels], data: await linear(w, await pooled(), B, layout.classifier) } };
  }
  const m = layout.mlm;
  const transformed = layerNorm(w, (await linear(w, x, N, m.transform)).map((u) => activate(act, u)), N, m.norm, eps);
  const decoderKey = cfg.tieWordEmbeddings ? emb.word : m.decoderWeight;
  const biasKey = w.has(m.bias) ? m.bias : m.decoderBias;
  const decoder: LinearKeys = { weight: decoderKey, bias: biasKey, inFeatures: E, outFeatures: cfg.vocabSize };
  return { logits: { dims: [B, T, cfg.vocabSize], data: await linear(w, transformed, N, decoder) } };
}
