import type { Tensor } from 'onnxruntime-node';

/** The int64 [batch, sequence] inputs every encoder graph albench writes takes, in graph order. */
export const MODEL_INPUT_NAMES = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

type ModelInputName = (typeof MODEL_INPUT_NAMES)[number];

/** One batch of token ids, row-major, laid out [batch, sequence] = `dims`. */
interface ModelInputs {
  readonly dims: readonly number[];
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

/** The feeds for one batch; `ort` is passed in because onnxruntime is imported only when a session needs it. */
export function feedsFor(ort: Pick<typeof import('onnxruntime-node'), 'Tensor'>, batch: ModelInputs): Record<ModelInputName, Tensor> {
  return {
    input_ids: new ort.Tensor('int64', batch.inputIds, batch.dims),
    attention_mask: new ort.Tensor('int64', batch.attentionMask, batch.dims),
    token_type_ids: new ort.Tensor('int64', batch.tokenTypeIds, batch.dims),
  };
}
