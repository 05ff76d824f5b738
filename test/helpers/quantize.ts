import path from 'node:path';
import ort from 'onnxruntime-node';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { seededRandom } from '../../src/util/random.js';
import { CHECKPOINTS, tempDir } from './paths.js';

const converted = new Map<string, Promise<string>>();

/** A fixture converted once per test process; returns the model folder. */
export function convertedFixture(name: string): Promise<string> {
  let hit = converted.get(name);
  if (hit === undefined) {
    const out = path.join(tempDir(), name);
    hit = convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, name) }, outDir: out, validate: false }).then(() => out);
    converted.set(name, hit);
  }
  return hit;
}

export const modelFile = (dir: string) => path.join(dir, MODEL_PATH);

/** Seeded token ids (batch x seq, some rows padded) for a vocabulary of `vocab`. */
export function encoderFeeds(vocab: number, batch = 8, seq = 16, seed = 3): Record<string, ort.Tensor> {
  const rand = seededRandom(seed);
  const ids = new BigInt64Array(batch * seq);
  const mask = new BigInt64Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const length = seq - (b % 3) * 3;
    for (let t = 0; t < seq; t++) {
      ids[b * seq + t] = t < length ? BigInt(5 + rand.below(vocab - 5)) : 0n;
      mask[b * seq + t] = t < length ? 1n : 0n;
    }
  }
  return {
    input_ids: new ort.Tensor('int64', ids, [batch, seq]),
    attention_mask: new ort.Tensor('int64', mask, [batch, seq]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch * seq), [batch, seq]),
  };
}

/** The first output of a model file as float32, with its shape. */
export async function runFirstOutput(file: string, feeds: Record<string, ort.Tensor>): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(file);
  try {
    const out = await session.run(feeds);
    const first = out[session.outputNames[0] ?? ''];
    if (first === undefined) throw new Error(`${file}: no output`);
    return { data: first.data as Float32Array, dims: first.dims };
  } finally {
    await session.release();
  }
}

export interface Agreement {
  readonly maxAbsDiff: number;
  readonly maxAbsRef: number;
  readonly argmaxAgreement: number;
  /** Rows whose argmax changed although fp32's top-2 margin exceeded twice the max difference. */
  readonly decisiveFlips: number;
}

/** Max |difference| and the share of rows (last axis) whose argmax agrees. */
export function agreement(ref: Float32Array, got: Float32Array, rowWidth: number): Agreement {
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs((ref[i] as number) - (got[i] as number));
    maxAbsDiff = d > maxAbsDiff || Number.isNaN(d) ? d : maxAbsDiff;
    maxAbsRef = Math.max(maxAbsRef, Math.abs(ref[i] as number));
  }
  const rows = ref.length / rowWidth;
  let same = 0;
  let decisiveFlips = 0;
  const at = (a: Float32Array, r: number, k: number) => a[r * rowWidth + k] as number;
  const argmax = (a: Float32Array, r: number) => {
    let best = 0;
    for (let k = 1; k < rowWidth; k++) if (at(a, r, k) > at(a, r, best)) best = k;
    return best;
  };
  for (let r = 0; r < rows; r++) {
    const best = argmax(ref, r);
    if (best === argmax(got, r)) {
      same++;
      continue;
    }
    let runnerUp = -Infinity;
    for (let k = 0; k < rowWidth; k++) if (k !== best) runnerUp = Math.max(runnerUp, at(ref, r, k));
    if (at(ref, r, best) - runnerUp > 2 * maxAbsDiff) decisiveFlips++;
  }
  return { maxAbsDiff, maxAbsRef, argmaxAgreement: same / rows, decisiveFlips };
}
