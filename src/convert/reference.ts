import type { EncoderConfig } from '../checkpoint/config.js';
import { activationOf, type ActivationName } from './activations.js';
import type { EncoderLayout, HeadName, LayerKeys, LinearKeys, NormKeys } from '../arch/types.js';
import { LinearPool } from './linear-pool.js';
import type { Weights } from './weights.js';
import { yieldToEventLoop } from '../util/steps.js';

/**
 * A forward pass in float64, read top to bottom like transformers' modelling code. Its arithmetic
 * is written apart from the graph builder's, so a wrong op, axis, mask or head in the graph shows
 * up as a difference; but it reads the same Weights (loading, key variants, [out, in] layout), the
 * same EncoderLayout (which key plays which part, ALBERT's layer-to-group sharing), the same parsed
 * config and the same hidden_act mapping, so a mistake there is made by both and passes. Those are
 * checked against transformers' own outputs by test/convert/golden.test.ts. Every input case goes
 * through it at once: each Linear runs once over all the cases' rows (on worker threads,
 * LinearPool), attention runs per case. Weights are read a Linear at a time (the next while the
 * workers compute this one) and let go after the next layer, so memory holds two layers, not the model.
 */
export interface EncoderInputs {
  readonly batch: number;
  readonly seq: number;
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

interface ReferenceOutput { readonly dims: number[]; readonly data: Float64Array }
export type ReferenceOutputs = Record<string, ReferenceOutput>;

/** The cases stacked row after row: case c's rows are [start[c], start[c] + batch * seq). */
interface Stack { readonly cases: readonly EncoderInputs[]; readonly start: readonly number[]; readonly rows: number }

function stack(cases: readonly EncoderInputs[]): Stack {
  const start: number[] = [];
  let rows = 0;
  for (const c of cases) {
    start.push(rows);
    rows += c.batch * c.seq;
  }
  return { cases, start, rows };
}

/**
 * The pool's weights, read when first asked for and split by rows among its workers. While the
 * workers compute one Linear of the encoder, the next one's weights are read: one ahead, so the
 * read buffers alive at once stay a Linear or two. keepOnly lets go of what the layers at hand do
 * not use: ALBERT's layers share their keys, so its weights are read once.
 */
class LinearWeights {
  private readonly after = new Map<string, LinearKeys>();

  constructor(private readonly w: Weights, private readonly pool: LinearPool, sequence: readonly LinearKeys[]) {
    sequence.forEach((k, i) => {
      const next = sequence[i + 1];
      if (next) this.after.set(k.weight, next);
    });
  }

  private load(k: LinearKeys): void {
    if (this.pool.has(k.weight)) return;
    const runs = this.pool.pieces(k.outFeatures, k.inFeatures);
    const read = this.w.readRows(k.weight, [k.outFeatures, k.inFeatures], runs.flat(), (n) => this.pool.take(n));
    let next = 0;
    const pieces = runs.map((r) => read.slice(next, (next += r.length)));
    this.pool.hold(k.weight, pieces, this.w.array(k.bias, [k.outFeatures]));
  }

  keepOnly(keys: readonly LinearKeys[]): void {
    this.pool.keepOnly(new Set(keys.map((k) => k.weight)));
  }

  /** Lets the event loop run first: reading may mean generating (random weights). */
  private async prefetch(k: LinearKeys): Promise<void> {
    await yieldToEventLoop();
    this.load(k);
  }

  /** y[n, out] = act(x[n, in] @ W[out, in]^T + b). */
  async apply(x: Float64Array, rows: number, k: LinearKeys, act: ActivationName | null = null): Promise<Float64Array> {
    this.load(k);
    const next = this.after.get(k.weight);
    const [y] = await Promise.all([this.pool.linear(k.weight, x, rows, act), next ? this.prefetch(next) : undefined]);
    return y;
  }
}

const linearsOf = (k: LayerKeys): LinearKeys[] => [k.query, k.key, k.value, k.attentionOutput, k.intermediate, k.output];

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

/** Attention within each case: its rows of q, k and v, its mask. */
function attendEach(s: Stack, q: Float64Array, kk: Float64Array, v: Float64Array, H: number, heads: number): Float64Array {
  const context = new Float64Array(s.rows * H);
  s.cases.forEach((c, i) => {
    const from = (s.start[i] as number) * H;
    const to = from + c.batch * c.seq * H;
    context.set(selfAttention(q.subarray(from, to), kk.subarray(from, to), v.subarray(from, to), c, H, heads), from);
  });
  return context;
}

/** Word + token type + position embeddings of every row; only the rows of the word table the inputs use are read. */
function embed(w: Weights, cfg: EncoderConfig, emb: EncoderLayout['embeddings'], s: Stack): Float64Array {
  const E = cfg.embeddingSize;
  const ids = s.cases.flatMap((c) => Array.from(c.inputIds, Number));
  const word = w.readRows(emb.word, [cfg.vocabSize, E], ids.map((id) => [id, id + 1] as const));
  const pos = w.readRows(emb.position, [cfg.maxPositionEmbeddings, E], [[0, Math.max(...s.cases.map((c) => c.seq))]])[0] as Float32Array;
  const type = w.array(emb.tokenType, [cfg.typeVocabSize, E]);
  const x = new Float64Array(s.rows * E);
  s.cases.forEach((c, i) => {
    for (let m = 0; m < c.batch * c.seq; m++) {
      const n = (s.start[i] as number) + m;
      const tt = Number(c.tokenTypeIds[m]);
      const t = m % c.seq;
      const wordRow = word[n] as Float32Array;
      for (let e = 0; e < E; e++) x[n * E + e] = (wordRow[e] as number) + (type[tt * E + e] as number) + (pos[t * E + e] as number);
    }
  });
  return x;
}

/** The encoder's last hidden state for every row. */
async function encode(w: Weights, lin: LinearWeights, cfg: EncoderConfig, layout: EncoderLayout, s: Stack): Promise<Float64Array> {
  const N = s.rows;
  const H = cfg.hiddenSize;
  const act = activationOf(cfg.hiddenAct);
  const eps = cfg.layerNormEps;

  // Embeddings: word + token type + position, LayerNorm, (ALBERT) project E -> H.
  const emb = layout.embeddings;
  await yieldToEventLoop();
  let x = layerNorm(w, embed(w, cfg, emb, s), N, emb.norm, eps);
  if (emb.projection) x = await lin.apply(x, N, emb.projection);

  for (const [i, k] of layout.layers.entries()) {
    const next = layout.layers[i + 1];
    lin.keepOnly([...linearsOf(k), ...(next ? linearsOf(next) : [])]);
    const [q, kk, v] = await Promise.all([lin.apply(x, N, k.query), lin.apply(x, N, k.key), lin.apply(x, N, k.value)]);
    const context = attendEach(s, q, kk, v, H, cfg.numAttentionHeads);
    const attended = layerNorm(w, add(await lin.apply(context, N, k.attentionOutput), x), N, k.attentionNorm, eps);
    const inner = await lin.apply(attended, N, k.intermediate, act);
    x = layerNorm(w, add(await lin.apply(inner, N, k.output), attended), N, k.outputNorm, eps);
  }
  lin.keepOnly([]);
  return x;
}

/** The head on top of the encoder, for every case. */
async function heads(
  w: Weights, lin: LinearWeights, cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, s: Stack, x: Float64Array,
): Promise<ReferenceOutputs[]> {
  const H = cfg.hiddenSize;
  const caseRows = (data: Float64Array, width: number, i: number) => {
    const c = s.cases[i] as EncoderInputs;
    const from = (s.start[i] as number) * width;
    return data.slice(from, from + c.batch * c.seq * width);
  };
  // Row 0 of every sequence, all cases stacked: B rows per case.
  const firsts = s.cases.flatMap((c, i) => Array.from({ length: c.batch }, (_, b) => (s.start[i] as number) + b * c.seq));
  const pooled = async () => {
    const first = new Float64Array(firsts.length * H);
    firsts.forEach((row, j) => first.set(x.subarray(row * H, row * H + H), j * H));
    return lin.apply(first, firsts.length, layout.pooler, 'tanh');
  };
  const perSequence = (data: Float64Array, width: number, i: number) => {
    const from = s.cases.slice(0, i).reduce((n, c) => n + c.batch, 0) * width;
    return data.slice(from, from + (s.cases[i] as EncoderInputs).batch * width);
  };
  if (head === 'base') {
    const pooler = w.has(layout.pooler.weight) ? await pooled() : null;
    return s.cases.map((c, i) => ({
      last_hidden_state: { dims: [c.batch, c.seq, H], data: caseRows(x, H, i) },
      ...(pooler === null ? {} : { pooler_output: { dims: [c.batch, H], data: perSequence(pooler, H, i) } }),
    }));
  }
  if (head === 'sequence-classification') {
    const logits = await lin.apply(await pooled(), firsts.length, layout.classifier);
    return s.cases.map((c, i) => ({ logits: { dims: [c.batch, cfg.numLabels], data: perSequence(logits, cfg.numLabels, i) } }));
  }
  const m = layout.mlm;
  const act = activationOf(cfg.hiddenAct);
  const transformed = layerNorm(w, await lin.apply(x, s.rows, m.transform, act), s.rows, m.norm, cfg.layerNormEps);
  const decoderKey = cfg.tieWordEmbeddings ? layout.embeddings.word : m.decoderWeight;
  const biasKey = w.has(m.bias) ? m.bias : m.decoderBias;
  const decoder: LinearKeys = { weight: decoderKey, bias: biasKey, inFeatures: cfg.embeddingSize, outFeatures: cfg.vocabSize };
  const logits = await lin.apply(transformed, s.rows, decoder);
  return s.cases.map((c, i) => ({ logits: { dims: [c.batch, c.seq, cfg.vocabSize], data: caseRows(logits, cfg.vocabSize, i) } }));
}

/** The reference outputs of every case, in order. Its worker threads are stopped before it returns or throws. */
export async function referenceForwardAll(
  w: Weights, cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, cases: readonly EncoderInputs[],
): Promise<ReferenceOutputs[]> {
  if (cases.length === 0) return [];
  const pool = new LinearPool();
  try {
    const lin = new LinearWeights(w, pool, layout.layers.flatMap(linearsOf));
    const s = stack(cases);
    return await heads(w, lin, cfg, layout, head, s, await encode(w, lin, cfg, layout, s));
  } finally {
    await pool.close();
  }
}
