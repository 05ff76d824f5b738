import { padEncodings, type Encoding, type TokenBatch, type Tokenizer } from './encode.js';

/**
 * Batches of examples with similar token lengths, so each batch is padded only to its own longest
 * example instead of the longest in the data set.
 */
export interface LengthBatch {
  /** Positions of this batch's examples in the original data, in batch order. */
  indices: Int32Array;
  /** The longest token length in the batch: the length to pad it to. */
  maxLength: number;
}

/**
 * Sorts examples by token length, longest first (a batch too large for memory then fails at the
 * start, not after the whole run), and cuts the order into batches of `batchSize`. Equal lengths
 * keep their original order, so the batching is deterministic.
 */
export function batchBySimilarLength(tokenLengths: ArrayLike<number>, batchSize: number): LengthBatch[] {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  }
  const order = Int32Array.from({ length: tokenLengths.length }, (_, i) => i);
  order.sort((a, b) => (tokenLengths[b] as number) - (tokenLengths[a] as number) || a - b);
  const batches: LengthBatch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    batches.push({ indices, maxLength: tokenLengths[indices[0] as number] as number });
  }
  return batches;
}

/**
 * Puts per-batch outputs (each `rowWidth` values per example, e.g. one row of logits) back into the
 * original example order.
 */
export function toOriginalOrder(
  batches: readonly LengthBatch[],
  batchOutputs: readonly ArrayLike<number>[],
  rowWidth: number,
): Float32Array {
  if (batchOutputs.length !== batches.length) {
    throw new RangeError(`expected outputs for ${batches.length} batches, got ${batchOutputs.length}`);
  }
  const exampleCount = batches.reduce((sum, batch) => sum + batch.indices.length, 0);
  const out = new Float32Array(exampleCount * rowWidth);
  batches.forEach((batch, b) => {
    const output = batchOutputs[b] as ArrayLike<number>;
    if (output.length !== batch.indices.length * rowWidth) {
      throw new RangeError(
        `batch ${b}: expected ${batch.indices.length} x ${rowWidth} outputs, got ${output.length}`,
      );
    }
    batch.indices.forEach((original, row) => {
      for (let k = 0; k < rowWidth; k++) out[original * rowWidth + k] = output[row * rowWidth + k] as number;
    });
  });
  return out;
}

/** Text examples (pairs where textB is given) tokenized, batched by similar length, and each batch padded to its own longest. */
export function tokenizedBatches(
  tokenizer: Tokenizer, examples: { readonly textA: readonly string[]; readonly textB: readonly string[] | null }, maxLength: number, batchSize: number,
): { encoded: Encoding[]; order: LengthBatch[]; batches: TokenBatch[] } {
  const encoded = examples.textA.map((a, i) => tokenizer.encode(a, examples.textB?.[i], { maxLength }));
  const order = batchBySimilarLength(encoded.map((e) => e.inputIds.length), batchSize);
  const batches = order.map((b) => padEncodings(Array.from(b.indices, (i) => encoded[i] as Encoding), tokenizer.specialIds.pad));
  return { encoded, order, batches };
}
