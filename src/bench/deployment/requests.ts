import { inputFeeds } from '../inputs.js';

/**
 * What a deployment measurement sends the model, one request at a time: the task's real rows, each
 * at its own length (batch 1, no padding), or the grid's first point with bench's synthetic ids.
 */

/** One tokenized row as it would arrive: no padding, so its attention mask is all ones. */
export interface TokenRow {
  readonly inputIds: readonly number[];
  readonly tokenTypeIds: readonly number[];
}

export type RequestInputs =
  | { readonly kind: 'rows'; readonly rows: readonly TokenRow[] }
  | { readonly kind: 'grid'; readonly batchSize: number; readonly sequenceLength: number; readonly tokenIdLimit: number };

/** onnxruntime-node's and onnxruntime-web's Tensor constructor, as far as an int64 input needs it. */
type Int64TensorConstructor<T> = new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => T;

function rowFeeds<T>(Tensor: Int64TensorConstructor<T>, names: readonly string[], row: TokenRow): Record<string, T> {
  const n = row.inputIds.length;
  const values: Record<string, () => BigInt64Array> = {
    input_ids: () => BigInt64Array.from(row.inputIds, BigInt),
    attention_mask: () => new BigInt64Array(n).fill(1n),
    token_type_ids: () => BigInt64Array.from(row.tokenTypeIds, BigInt),
  };
  const feeds: Record<string, T> = {};
  for (const name of names) {
    const make = values[name];
    if (make === undefined) throw new Error(`the model has an input "${name}"; albench feeds only ${Object.keys(values).join(', ')}`);
    feeds[name] = new Tensor('int64', make(), [1, n]);
  }
  return feeds;
}

/** The feeds of every request, made before timing starts: a row each, or the grid point's one. */
export function requestFeeds<T>(Tensor: Int64TensorConstructor<T>, names: readonly string[], inputs: RequestInputs): Array<Record<string, T>> {
  if (inputs.kind === 'grid') return [inputFeeds(Tensor, names, inputs.batchSize, inputs.sequenceLength, inputs.tokenIdLimit)];
  return inputs.rows.map((row) => rowFeeds(Tensor, names, row));
}
