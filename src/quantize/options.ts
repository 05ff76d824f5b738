import type { QType } from './linear-quant.js';

/** Integer operators (fewest nodes, onnxruntime's fused kernels) or QuantizeLinear/DequantizeLinear pairs. */
type QuantFormat = 'qoperator' | 'qdq';

/** How activation ranges are found: at run time (dynamic), or fixed in the file from ranges measured on sample inputs (static, QDQ). */
type ActivationMode =
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'static'; readonly ranges: ReadonlyMap<string, { readonly min: number; readonly max: number }> };

export interface QuantizeOptions {
  /** 8: int8 weights (and activations); 4: weight-only 4-bit blocks (MatMulNBits). */
  readonly bits: 8 | 4;
  readonly format: QuantFormat;
  readonly activations: ActivationMode;
  readonly weightType: QType;
  readonly perChannel: boolean;
  readonly reduceRange: boolean;
  /** Embedding tables (Gather data) quantized too: int8 rows, or 4-bit blocks with bits 4. */
  readonly embeddings: boolean;
  /** Biases and LayerNorm vectors stored as float16 (cast to float32 at load): the last bytes off an all-int8 model. */
  readonly float16Vectors: boolean;
  /** Block size along K for 4-bit weights (a power of two, at least 16). */
  readonly blockSize: number;
  /** Node names to leave in float: a pattern with * or ? matches the whole name, otherwise any name containing it. */
  readonly exclude: readonly string[];
}

/**
 * Every rule's baseline: what quantizeGraph and quantizeFile apply when not told otherwise. The
 * commands' dynamic int8 default adds the recipe on top (src/compare/int8-recipe.ts).
 */
export const DEFAULT_OPTIONS: QuantizeOptions = {
  bits: 8,
  format: 'qoperator',
  activations: { kind: 'dynamic' },
  weightType: 'int8',
  perChannel: false,
  reduceRange: false,
  embeddings: false,
  float16Vectors: false,
  blockSize: 32,
  exclude: [],
};

/** Dynamic int8 with integer operators: the mode whose default is the int8 recipe (src/compare/int8-recipe.ts). */
export function isDynamicInt8(o: Partial<QuantizeOptions>): boolean {
  const m = { ...DEFAULT_OPTIONS, ...o };
  return m.bits === 8 && m.format === 'qoperator' && m.activations.kind === 'dynamic';
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function excludeMatcher(patterns: readonly string[]): (nodeName: string) => boolean {
  const tests = patterns.map((p) => (/[*?]/.test(p) ? ((n: string) => globToRegExp(p).test(n)) : (n: string) => n.includes(p)));
  return (name) => tests.some((t) => t(name));
}
