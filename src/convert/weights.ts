import { CheckpointError } from '../errors.js';
import { numel, toFloat32, type TensorSource } from '../tensor.js';
import type { StateDict } from '../checkpoint/types.js';
import type { ModelSpec } from './models/types.js';

const FLOAT_DTYPES = new Set(['float32', 'float16', 'bfloat16', 'float64']);

export interface WeightsOptions {
  /** Accept NaN/Inf weights (they are refused by default: a model holding them predicts garbage). */
  readonly allowNonFinite?: boolean;
  readonly warn?: (message: string) => void;
}

/** HF's loader renames legacy LayerNorm `gamma`/`beta`; we do the same, per key segment. */
function modernName(key: string): string {
  return key.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
}

/**
 * The checkpoint's tensors under canonical names (`bert.`/`albert.` prefix present, modern
 * LayerNorm names), checked against the shapes the config implies. Each accessor returns the same
 * TensorSource object for the same key, so a tensor used by many layers is stored once.
 */
export class Weights {
  private readonly byName = new Map<string, { stored: string; source: TensorSource }>();
  private readonly used = new Set<string>();
  private readonly memo = new Map<string, TensorSource>();
  private readonly arrays = new Map<string, Float32Array>();

  constructor(private readonly sd: StateDict, private readonly spec: ModelSpec, private readonly opts: WeightsOptions = {}) {
    const prefix = `${spec.prefix}.`;
    for (const [stored, source] of sd.tensors) {
      const modern = modernName(stored);
      const root = modern.split('.')[0] ?? '';
      const canonical = modern.startsWith(prefix) || spec.headRoots.includes(root) ? modern : prefix + modern;
      if (this.byName.has(canonical)) {
        throw new CheckpointError(sd.file, `holds both "${this.byName.get(canonical)?.stored}" and "${stored}", which name the same weight`);
      }
      this.byName.set(canonical, { stored, source });
    }
  }

  has(key: string): boolean {
    return this.byName.has(key);
  }

  private raw(key: string, shape: readonly number[]): { stored: string; source: TensorSource } {
    const entry = this.byName.get(key);
    if (entry === undefined) {
      throw new CheckpointError(this.sd.file, `has no tensor "${key}" (or its variants without the "${this.spec.prefix}." prefix or with gamma/beta); is this a ${this.spec.modelType} checkpoint of the task you asked for?`);
    }
    const { source } = entry;
    if (!FLOAT_DTYPES.has(source.dtype)) throw new CheckpointError(this.sd.file, `tensor "${entry.stored}" has dtype ${source.dtype}; weights must be floating point`);
    if (source.shape.length !== shape.length || source.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(this.sd.file, `tensor "${entry.stored}" has shape [${source.shape.join(', ')}] but config.json implies [${shape.join(', ')}]; the config and weights do not belong together`);
    }
    this.used.add(key);
    return entry;
  }

  private checkFinite(stored: string, data: Float32Array): void {
    if (this.opts.allowNonFinite) return;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new CheckpointError(this.sd.file, `tensor "${stored}" holds ${data[i]} at element ${i}; refusing non-finite weights (pass --allow-nonfinite to convert anyway)`);
      }
    }
  }

  /** A float32 tensor as stored, read lazily (each call to bytes() reads and checks it again). */
  tensor(key: string, shape: readonly number[]): TensorSource {
    const memoKey = `${key}|as-is`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const { stored, source } = this.raw(key, shape);
    const t: TensorSource = {
      dtype: 'float32',
      shape: [...shape],
      bytes: () => {
        const data = toFloat32(source);
        this.checkFinite(stored, data);
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      },
    };
    this.memo.set(memoKey, t);
    return t;
  }

  /** A [out, in] Linear weight as the [in, out] matrix MatMul needs, transposed when its bytes are asked for. */
  transposed(key: string, outFeatures: number, inFeatures: number): TensorSource {
    const memoKey = `${key}|transposed`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const asIs = this.tensor(key, [outFeatures, inFeatures]);
    const t: TensorSource = {
      dtype: 'float32',
      shape: [inFeatures, outFeatures],
      bytes: () => {
        const b = asIs.bytes();
        const src = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
        const out = transpose(src, outFeatures, inFeatures);
        return new Uint8Array(out.buffer);
      },
    };
    this.memo.set(memoKey, t);
    return t;
  }

  /** The tensor's values as float32, kept in memory (for the reference forward pass). */
  array(key: string, shape: readonly number[]): Float32Array {
    const hit = this.arrays.get(key);
    if (hit) return hit;
    const b = this.tensor(key, shape).bytes();
    const data = new Float32Array(b.buffer, b.byteOffset, numel(shape));
    this.arrays.set(key, data);
    return data;
  }

  /** Keys never asked for, less those the spec knows to be ignorable: worth a warning, not an error. */
  unusedKeys(): string[] {
    return [...this.byName.entries()]
      .filter(([canonical]) => !this.used.has(canonical) && !this.spec.ignorable.some((re) => re.test(canonical)))
      .map(([, { stored }]) => stored);
  }

  /** Every stored tensor, for inspect's byte and parameter counts. */
  storedTensors(): ReadonlyMap<string, TensorSource> {
    return this.sd.tensors;
  }
}

/** Row-major [rows, cols] -> [cols, rows], in cache-sized blocks so large matrices stay fast. */
export function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const B = 64;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(r0 + B, rows);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(c0 + B, cols);
      for (let r = r0; r < r1; r++) {
        const rowBase = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[rowBase + c] as number;
      }
    }
  }
  return out;
}

