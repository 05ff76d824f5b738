/**
 * The tokenizer interface the evaluator uses, and what is common to BERT and ALBERT: the
 * `[CLS] A [SEP] B [SEP]` layout, truncation, padding, and batches as int64 tensors for onnxruntime.
 */
import { UsageError } from '../errors.js';
import { truncatePair, type TruncationStrategy } from './truncate.js';

export type Truncation = TruncationStrategy | false;

export interface EncodeOptions {
  /** Length including the special tokens. Default: the tokenizer's modelMaxLength. */
  maxLength?: number;
  /** Default 'longest_first', as run_glue.py; false never truncates. */
  truncation?: Truncation;
  /** Pad on the right up to maxLength (transformers' padding="max_length"). Default false. */
  padToMaxLength?: boolean;
}

export interface Encoding {
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
}

export interface SpecialTokenIds {
  cls: number;
  sep: number;
  pad: number;
  unk: number;
}

export interface Tokenizer {
  readonly family: 'wordpiece' | 'sentencepiece';
  readonly specialIds: SpecialTokenIds;
  /** transformers' model_max_length: the default maxLength when truncating. */
  readonly modelMaxLength: number;
  /** Ids of `text` without special tokens: the slow tokenizer's convert_tokens_to_ids(tokenize(text)). */
  textToIds(text: string): number[];
  /** One sequence or a pair, with special tokens. An empty `textB` is still a pair: `[CLS] A [SEP] [SEP]`. */
  encode(textA: string, textB?: string, options?: EncodeOptions): Encoding;
}

/** transformers' prepare_for_model for BERT-style special tokens: truncate, add specials, pad. */
export function assembleEncoding(
  first: number[],
  second: number[] | null,
  specials: SpecialTokenIds,
  modelMaxLength: number,
  options: EncodeOptions = {},
): Encoding {
  const truncation = options.truncation ?? 'longest_first';
  const maxLength = options.maxLength ?? modelMaxLength;
  if (!Number.isInteger(maxLength) || maxLength < 0) throw new UsageError(`maxLength must be a non-negative integer, got ${maxLength}`);
  const specialCount = second === null ? 2 : 3;
  const total = first.length + (second?.length ?? 0) + specialCount;
  if (truncation !== false && maxLength > 0 && total > maxLength) {
    ({ first, second } = truncatePair(first, second, total - maxLength, truncation));
  }
  const length = first.length + (second === null ? 2 : second.length + 3);
  const padded = options.padToMaxLength === true ? Math.max(length, maxLength) : length;
  const inputIds = new Int32Array(padded).fill(specials.pad);
  const tokenTypeIds = new Int32Array(padded);
  const attentionMask = new Int32Array(padded);
  attentionMask.fill(1, 0, length);
  inputIds[0] = specials.cls;
  inputIds.set(first, 1);
  inputIds[first.length + 1] = specials.sep;
  if (second !== null) {
    const start = first.length + 2;
    inputIds.set(second, start);
    inputIds[length - 1] = specials.sep;
    tokenTypeIds.fill(1, start, length);
  }
  return { inputIds, tokenTypeIds, attentionMask };
}

/** A batch as onnxruntime takes it: row-major int64 tensors of shape `dims` = [batch, sequence]. */
export interface TokenBatch {
  dims: [number, number];
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

type TextInput = string | readonly [string, string];

/** Encodes each input and pads all of them on the right to the longest one, with the pad id. */
export function encodeBatch(tokenizer: Tokenizer, inputs: readonly TextInput[], options: EncodeOptions = {}): TokenBatch {
  const encodings = inputs.map((input) =>
    typeof input === 'string' ? tokenizer.encode(input, undefined, options) : tokenizer.encode(input[0], input[1], options),
  );
  return padEncodings(encodings, tokenizer.specialIds.pad);
}

/** Pads encodings on the right to the longest one and lays them out as one int64 batch. */
export function padEncodings(encodings: readonly Encoding[], padId: number): TokenBatch {
  const width = encodings.reduce((max, e) => Math.max(max, e.inputIds.length), 0);
  const size = encodings.length * width;
  const batch: TokenBatch = {
    dims: [encodings.length, width],
    inputIds: new BigInt64Array(size).fill(BigInt(padId)),
    attentionMask: new BigInt64Array(size),
    tokenTypeIds: new BigInt64Array(size),
  };
  encodings.forEach((encoding, row) => {
    const offset = row * width;
    for (let i = 0; i < encoding.inputIds.length; i++) {
      batch.inputIds[offset + i] = BigInt(encoding.inputIds[i] as number);
      batch.attentionMask[offset + i] = BigInt(encoding.attentionMask[i] as number);
      batch.tokenTypeIds[offset + i] = BigInt(encoding.tokenTypeIds[i] as number);
    }
  });
  return batch;
}
