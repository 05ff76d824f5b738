/**
 * The inputs every timing feeds a model, in bench's child process (child.ts) and in browser-bench's
 * page (page-script.ts; the page server serves this module too, so it imports nothing of Node's):
 * deterministic ids spread over the vocabulary, a full attention mask (no padding), segment 0.
 */
export const INPUTS_DESCRIPTION = 'input_ids spread over the vocabulary, attention_mask all ones (no padding), token_type_ids 0';

/** Any BERT-family vocabulary is larger; used only when a bare .onnx file comes without config.json. */
export const TOKEN_ID_LIMIT_WITHOUT_CONFIG = 100;

/** onnxruntime-node's and onnxruntime-web's Tensor constructor, as far as an int64 input needs it. */
type Int64TensorConstructor<T> = new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => T;

export function inputFeeds<T>(
  Tensor: Int64TensorConstructor<T>, names: readonly string[], batchSize: number, sequenceLength: number, tokenIdLimit: number,
): Record<string, T> {
  const n = batchSize * sequenceLength;
  const values: Record<string, () => BigInt64Array> = {
    input_ids: () => BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 7919 + 101) % tokenIdLimit)),
    attention_mask: () => new BigInt64Array(n).fill(1n),
    token_type_ids: () => new BigInt64Array(n),
  };
  const feeds: Record<string, T> = {};
  for (const name of names) {
    const make = values[name];
    if (make === undefined) throw new Error(`the model has an input "${name}"; albench feeds only ${Object.keys(values).join(', ')}`);
    feeds[name] = new Tensor('int64', make(), [batchSize, sequenceLength]);
  }
  return feeds;
}
