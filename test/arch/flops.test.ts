import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inferenceFlops } from '../../src/arch/flops.js';
import { parseConfig, readConfigFile, type EncoderConfig } from '../../src/checkpoint/config.js';
import { knownConfig } from '../../src/arch/known.js';
import { MODEL_SPECS } from '../../src/arch/registry.js';
import type { HeadName } from '../../src/arch/types.js';
import { inspect } from '../../src/inspect/inspect.js';
import { CHECKPOINTS } from '../helpers/paths.js';

const flops = (cfg: EncoderConfig, head: HeadName, batch: number, seq: number, hasPooler = true) =>
  inferenceFlops(cfg, MODEL_SPECS[cfg.modelType].layout(cfg), head, hasPooler, batch, seq);

describe('FLOPs per inference', () => {
  it('bert-tiny-cls at batch 2, sequence 8 matches the hand count', () => {
    // H = 64, I = 128, L = 2, 4 heads, 2 labels; B*T = 16 token rows.
    const cfg = readConfigFile(path.join(CHECKPOINTS, 'bert-tiny-cls', 'config.json'));
    const f = flops(cfg, 'sequence-classification', 2, 8);
    const qkvo = 4 * (2 * 16 * 64 * 64); // 524,288 per layer
    const scores = 2 * (2 * 2 * 8 * 8 * 64); // Q K^T and P V: 2*B*T*T*H each = 16,384 each
    const ffn = 2 * 16 * 64 * 128 + 2 * 16 * 128 * 64; // 524,288 per layer
    assert.deepEqual(f.byPart, {
      embeddingProjection: 0,
      attentionProjections: 2 * qkvo,
      attentionScores: 2 * scores,
      feedForward: 2 * ffn,
      pooler: 2 * 2 * 64 * 64,
      head: 2 * 2 * 64 * 2,
    });
    assert.equal(f.total, 2_179_584);
  });

  it('the masked-lm head adds its transform and the vocabulary decoder, and skips the pooler', () => {
    const cfg = readConfigFile(path.join(CHECKPOINTS, 'bert-tiny-mlm', 'config.json'));
    const f = flops(cfg, 'masked-lm', 1, 4);
    assert.equal(f.byPart.pooler, 0);
    assert.equal(f.byPart.head, 2 * 4 * cfg.hiddenSize * cfg.hiddenSize + 2 * 4 * cfg.hiddenSize * cfg.vocabSize);
  });

  it('ALBERT computes as much as BERT of the same width and depth: sharing saves parameters, not FLOPs', () => {
    const shape = { hidden_size: 256, num_hidden_layers: 6, num_attention_heads: 4, intermediate_size: 1024, vocab_size: 1000, max_position_embeddings: 128 };
    const bertCfg = parseConfig({ model_type: 'bert', ...shape }, 'bert');
    const shared = parseConfig({ model_type: 'albert', embedding_size: 256, num_hidden_groups: 1, ...shape }, 'albert shared');
    const unshared = parseConfig({ model_type: 'albert', embedding_size: 256, num_hidden_groups: 6, ...shape }, 'albert unshared');
    const b = flops(bertCfg, 'base', 8, 128);
    const a = flops(shared, 'base', 8, 128);
    assert.deepEqual(flops(unshared, 'base', 8, 128), a, 'the number of stored layer groups does not change compute');
    // Everything but ALBERT's E -> H embedding projection is identical.
    assert.deepEqual({ ...a.byPart, embeddingProjection: 0 }, b.byPart);
    assert.equal(a.total - b.total, 2 * 8 * 128 * 256 * 256);
  });

  it('albert-base-v2 vs bert-base-uncased: 9x fewer parameters, the same encoder FLOPs', () => {
    const bertBase = knownConfig('bert-base-uncased').config;
    const albertBase = knownConfig('albert-base-v2').config;
    const b = flops(bertBase, 'base', 1, 128);
    const a = flops(albertBase, 'base', 1, 128);
    for (const part of ['attentionProjections', 'attentionScores', 'feedForward', 'pooler'] as const) assert.equal(a.byPart[part], b.byPart[part], part);
    assert.equal(a.byPart.embeddingProjection, 2 * 128 * 128 * 768);
    assert.ok(inspect('bert-base-uncased', 'base').params.unique.total > 9 * inspect('albert-base-v2', 'base').params.unique.total);
    // 2 * params * tokens is the usual estimate for the encoder's linears; the attention scores come on top.
    const encoderLinears = 12 * (4 * 768 * 768 + 2 * 768 * 3072);
    assert.equal(b.byPart.attentionProjections + b.byPart.feedForward, 2 * encoderLinears * 128);
  });
});
