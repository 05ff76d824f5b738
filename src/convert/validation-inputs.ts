import type { EncoderConfig } from '../checkpoint/config.js';
import { AlbenchError } from '../errors.js';
import { encodeBatch } from '../tokenizers/encode.js';
import { loadTokenizer } from '../tokenizers/load.js';
import { seededRandom } from '../util/random.js';
import type { EncoderInputs } from './reference.js';

/**
 * Two input cases that exercise what a converter gets wrong: one unpadded sentence, and a batch
 * holding a sentence pair (token type 1) beside a padded row (attention mask 0).
 */
export function randomValidationInputs(cfg: EncoderConfig, seed = 17): EncoderInputs[] {
  const rand = seededRandom(seed).next;
  const token = () => BigInt(Math.min(cfg.vocabSize - 1, 5 + Math.floor(rand() * Math.max(1, cfg.vocabSize - 5))));
  const make = (batch: number, seq: number, fill: (b: number, t: number) => { id: bigint; mask: bigint; type: bigint }): EncoderInputs => {
    const inputIds = new BigInt64Array(batch * seq);
    const attentionMask = new BigInt64Array(batch * seq);
    const tokenTypeIds = new BigInt64Array(batch * seq);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < seq; t++) {
        const v = fill(b, t);
        inputIds[b * seq + t] = v.id;
        attentionMask[b * seq + t] = v.mask;
        tokenTypeIds[b * seq + t] = v.type;
      }
    }
    return { batch, seq, inputIds, attentionMask, tokenTypeIds };
  };
  const maxSeq = Math.min(cfg.maxPositionEmbeddings, 12);
  const hasSecondType = cfg.typeVocabSize > 1;
  const single = make(1, Math.min(maxSeq, 8), () => ({ id: token(), mask: 1n, type: 0n }));
  const half = Math.floor(maxSeq / 2);
  const pairAndPadded = make(2, maxSeq, (b, t) => {
    if (b === 0) return { id: token(), mask: 1n, type: hasSecondType && t >= half ? 1n : 0n };
    return t < half ? { id: token(), mask: 1n, type: 0n } : { id: BigInt(cfg.padTokenId < cfg.vocabSize ? cfg.padTokenId : 0), mask: 0n, type: 0n };
  });
  return [single, pairAndPadded];
}

const REAL_TEXT: ReadonlyArray<readonly [string, string?]> = [
  ['The quick brown fox jumps over the lazy dog.'],
  ['A man is playing a guitar on stage.', 'Someone performs music for an audience.'],
];

/**
 * Real sentences through the checkpoint's own tokenizer, when it has one: a single sentence and
 * a padded pair in one batch. Null when the folder has no tokenizer albench can load.
 */
export function realValidationInputs(checkpointDir: string, cfg: EncoderConfig): EncoderInputs | null {
  let tokenizer;
  try {
    tokenizer = loadTokenizer(checkpointDir);
  } catch (e) {
    if (e instanceof AlbenchError) return null;
    throw e;
  }
  const batch = encodeBatch(tokenizer, REAL_TEXT.map(([a, b]) => (b === undefined ? a : [a, b] as const)),
    { maxLength: Math.min(64, cfg.maxPositionEmbeddings) });
  if (batch.inputIds.some((id) => id >= BigInt(cfg.vocabSize))) return null;
  return { batch: batch.dims[0], seq: batch.dims[1], inputIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds };
}
