import { fuseAttention } from '../optimize/fuse-attention.js';
import { isDynamicInt8, type QuantizeOptions } from '../quantize/options.js';
import type { AttentionFuser, QuantizeFileOptions } from '../quantize/quantize.js';

/** The recipe's three choices; one left undefined takes the mode's default. */
export interface RecipeChoices {
  readonly fuseAttention?: boolean;
  readonly embeddings?: boolean;
  readonly float16Vectors?: boolean;
}

/**
 * The default of dynamic int8 (`albench quantize` without mode flags, compare's int8-dynamic):
 * attention fused first so each block runs as one QAttention, the embedding tables int8 too, and
 * the biases and LayerNorm vectors stored as float16: a smaller file than plain int8 weights,
 * no slower; QDQ, static and 4-bit modes keep every extra off unless asked.
 */
export const INT8_RECIPE: Required<RecipeChoices> = { fuseAttention: true, embeddings: true, float16Vectors: true };

const fuseInMemory: AttentionFuser = (model) => {
  const fusion = fuseAttention(model);
  return { model: fusion.model, blocks: fusion.blocks.length };
};

/** The quantize request with the recipe filled in where `choices` leaves a choice open. */
export function withInt8Recipe(req: QuantizeFileOptions, choices: RecipeChoices = {}): QuantizeFileOptions {
  const options = req.options ?? {};
  const recipe = isDynamicInt8(options) ? INT8_RECIPE : { fuseAttention: false, embeddings: false, float16Vectors: false };
  const embeddings = choices.embeddings ?? recipe.embeddings;
  const float16Vectors = choices.float16Vectors ?? recipe.float16Vectors;
  const fuse = (choices.fuseAttention ?? recipe.fuseAttention) && isDynamicInt8(options);
  return { ...req, options: { ...options, embeddings, float16Vectors }, ...(fuse ? { fuse: fuseInMemory } : {}) };
}

/** The recipe in words, as the report shows it beside the variant. */
export function recipeText(options: Partial<QuantizeOptions>, fused: boolean): string[] {
  const perChannel = options.perChannel ? 'per channel' : 'per tensor';
  const ranges = options.activations?.kind === 'static' ? 'calibrated, QDQ' : 'found at run time';
  const weights = options.bits === 4
    ? [`MatMul weights in 4-bit blocks of ${options.blockSize ?? 32} (MatMulNBits), activations float`]
    : [`MatMul/Gemm weights ${options.weightType ?? 'int8'} (${perChannel}), activations int8 (ranges ${ranges})`];
  return [
    ...(fused ? ['attention fused (Attention, quantized as QAttention)'] : []),
    ...weights,
    `embedding tables ${options.embeddings ? (options.bits === 4 ? '4-bit' : 'int8') : 'float32'}`,
    `biases and LayerNorm vectors ${options.float16Vectors ? 'float16' : 'float32'}`,
  ];
}
