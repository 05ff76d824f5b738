import { CheckpointError } from '../errors.js';
import { numel, tensorChunks, toFloat32, type TensorSource } from '../tensor.js';
import { scratch } from '../util/scratch.js';
import { transpose, transposeRows } from '../util/transpose.js';
import type { StateDict } from '../checkpoint/types.js';
import type { ModelSpec } from '../arch/types.js';

const FLOAT_DTYPES = new Set(['float32', 'float16', 'bfloat16', 'float64']);

interface WeightsOptions {
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
  /**
   * A transposed weight's whole source, held while its chunks are written: this object's own, not a
   * shared scratch slot, since a writer pauses between chunks and another conversion in the process
   * (two compares at once) may transpose in the pause.
   */
  private transposeSource = new ArrayBuffer(0);

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
      throw new CheckpointError(this.sd.file, `has no tensor "${key}" (or its variants without the "${this.spec.prefix}." prefix or with gamma/beta); `
        + `is this a ${this.spec.modelType} checkpoint of the task you asked for?`);
    }
    const { source } = entry;
    if (!FLOAT_DTYPES.has(source.dtype)) {
      throw new CheckpointError(this.sd.file, `tensor "${entry.stored}" has dtype ${source.dtype}; weights must be floating point`);
    }
    if (source.shape.length !== shape.length || source.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(this.sd.file, `tensor "${entry.stored}" has shape [${source.shape.join(', ')}] but config.json implies [${shape.join(', ')}]; `
        + 'the config and weights do not belong together');
    }
    this.used.add(key);
    return entry;
  }

  private checkFinite(stored: string, data: Float32Array, firstIndex: number): void {
    if (this.opts.allowNonFinite) return;
    // v * 0 is 0 for finite v and NaN for NaN and +-Infinity: one test per eight values finds the block
    // holding the first bad one, the loop below the value (v - v is NaN exactly for the same values).
    let i = 0;
    for (const end = data.length - 8; i <= end; i += 8) {
      const block = (data[i] as number) * 0 + (data[i + 1] as number) * 0 + (data[i + 2] as number) * 0 + (data[i + 3] as number) * 0
        + (data[i + 4] as number) * 0 + (data[i + 5] as number) * 0 + (data[i + 6] as number) * 0 + (data[i + 7] as number) * 0;
      if (block !== 0) break;
    }
    for (; i < data.length; i++) {
      const v = data[i] as number;
      if (v - v !== 0) {
        throw new CheckpointError(this.sd.file,
          `tensor "${stored}" holds ${v} at element ${firstIndex + i}; refusing non-finite weights (pass --allow-nonfinite to convert anyway)`);
      }
    }
  }

  /** A float32 tensor as stored, read lazily (each call to bytes() or chunks() reads and checks it again). */
  tensor(key: string, shape: readonly number[]): TensorSource {
    const memoKey = `${key}|as-is`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const { stored, source } = this.raw(key, shape);
    const checkFinite = (data: Float32Array, firstIndex: number) => this.checkFinite(stored, data, firstIndex);
    const t: TensorSource = {
      dtype: 'float32',
      shape: [...shape],
      bytes: () => {
        const data = toFloat32(source);
        checkFinite(data, 0);
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      },
      *chunks() {
        if (source.dtype !== 'float32') {
          yield t.bytes();
          return;
        }
        let seen = 0;
        for (const chunk of tensorChunks(source)) {
          checkFinite(asFloat32(chunk), seen);
          seen += chunk.length / 4;
          yield chunk;
        }
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
    const n = outFeatures * inFeatures;
    const holdSource = () => this.transposeSourceOf(n * 4);
    const t: TensorSource = {
      dtype: 'float32',
      shape: [inFeatures, outFeatures],
      bytes: () => new Uint8Array(transpose(asFloat32(asIs.bytes()), outFeatures, inFeatures).buffer),
      *chunks() {
        const src = holdSource();
        let at = 0;
        for (const chunk of tensorChunks(asIs)) {
          src.set(chunk, at);
          at += chunk.length;
        }
        const rowsPerChunk = Math.max(1, Math.floor(STREAM_CHUNK_FLOATS / outFeatures));
        for (let c0 = 0; c0 < inFeatures; c0 += rowsPerChunk) {
          const c1 = Math.min(inFeatures, c0 + rowsPerChunk);
          const out = asFloat32(scratch('transpose-out', (c1 - c0) * outFeatures * 4));
          transposeRows(asFloat32(src), outFeatures, inFeatures, c0, c1, out);
          yield new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
        }
      },
    };
    this.memo.set(memoKey, t);
    return t;
  }

  private transposeSourceOf(bytes: number): Uint8Array {
    if (this.transposeSource.byteLength < bytes) this.transposeSource = new ArrayBuffer(bytes);
    return new Uint8Array(this.transposeSource, 0, bytes);
  }

  /**
   * Runs of rows [from, to) of a tensor (rows along its first axis), each in an array of its own (from `alloc`), picked
   * from the stream and checked as the writer checks them: the reference pass reads a layer's weights when it needs them,
   * and a large table (BERT's 30522-word embeddings are 94 MB) is never in memory at once. Nothing is kept.
   */
  readRows(
    key: string, shape: readonly number[], runs: ReadonlyArray<readonly [number, number]>,
    alloc: (length: number) => Float32Array = (length) => new Float32Array(length),
  ): Float32Array[] {
    const width = numel(shape.slice(1));
    const out = runs.map(([from, to]) => alloc((to - from) * width));
    let at = 0;
    for (const chunk of tensorChunks(this.tensor(key, shape))) {
      const values = asFloat32(chunk);
      const end = at + values.length;
      runs.forEach(([from, to], j) => {
        const lo = Math.max(at, from * width);
        const hi = Math.min(end, to * width);
        if (lo < hi) out[j]?.set(values.subarray(lo - at, hi - at), lo - from * width);
      });
      at = end;
    }
    return out;
  }

  /** A small tensor's float32 values, read afresh (norms, biases, position and token-type tables). */
  array(key: string, shape: readonly number[]): Float32Array {
    return this.readRows(key, shape, [[0, shape[0] ?? 1]])[0] as Float32Array;
  }

  /** Keys never asked for, less those the spec knows to be ignorable: worth a warning, not an error. */
  unusedKeys(): string[] {
    return [...this.byName.entries()]
      .filter(([canonical]) => !this.used.has(canonical) && !this.spec.ignorable.some((re) => re.test(canonical)))
      .map(([, { stored }]) => stored);
  }

}

const STREAM_CHUNK_FLOATS = 1024 * 1024;

function asFloat32(b: Uint8Array): Float32Array {
  return b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length / 4) : new Float32Array(new Uint8Array(b).buffer);
}
