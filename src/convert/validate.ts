import type { EncoderConfig } from '../checkpoint/config.js';
import { ValidationError } from '../errors.js';
import { feedsFor } from '../onnx/model-inputs.js';
import { openSession } from '../onnx/session.js';
import type { EncoderLayout, HeadName } from '../arch/types.js';
import { referenceForwardAll, type EncoderInputs } from './reference.js';
import type { Weights } from './weights.js';

export const VALIDATION_TOLERANCE = 1e-4;

/** Random token ids, or real sentences through the checkpoint's own tokenizer. */
export interface ValidationCase { readonly kind: 'random' | 'text'; readonly inputs: EncoderInputs }

export interface ValidationResult {
  readonly passed: boolean;
  readonly tolerance: number;
  readonly cases: ReadonlyArray<{
    readonly inputs: ValidationCase['kind'];
    readonly shape: readonly [number, number];
    readonly maxAbsDiff: Readonly<Record<string, number>>;
  }>;
  readonly maxAbsDiff: number;
}

export interface WorstDifference {
  readonly output: string;
  readonly inputs: ValidationCase['kind'];
  readonly shape: readonly [number, number];
  readonly diff: number;
}

/** The output and input case that differ most from the reference; NaN counts as the most. */
export function worstDifference(result: ValidationResult): WorstDifference | null {
  let worst: WorstDifference | null = null;
  for (const c of result.cases) {
    for (const [output, diff] of Object.entries(c.maxAbsDiff)) {
      const more = worst === null || diff > worst.diff || (Number.isNaN(diff) && !Number.isNaN(worst.diff));
      if (more) worst = { output, inputs: c.inputs, shape: c.shape, diff };
    }
  }
  return worst;
}

/** Runs the written model in onnxruntime-node and compares every output with the float64 reference. */
export async function validateModel(
  modelFile: string, w: Weights, cfg: EncoderConfig, layout: EncoderLayout, head: HeadName, cases: readonly ValidationCase[],
): Promise<ValidationResult> {
  // The reference first, one pass over every case: its worker threads have stopped before the session loads.
  const references = await referenceForwardAll(w, cfg, layout, head, cases.map((c) => c.inputs));
  const ort = await import('onnxruntime-node');
  const session = await openSession(modelFile);
  try {
    const results = [];
    let worst = 0;
    for (const [i, { kind, inputs: c }] of cases.entries()) {
      const dims = [c.batch, c.seq];
      const feeds = feedsFor(ort, { ...c, dims });
      const got = await session.run(feeds);
      const expected = references[i];
      if (expected === undefined) throw new ValidationError(`${modelFile}: the reference pass returned no outputs for case ${i + 1}`);
      const maxAbsDiff: Record<string, number> = {};
      for (const [name, ref] of Object.entries(expected)) {
        const out = got[name];
        if (out === undefined) throw new ValidationError(`${modelFile}: output ${name} is missing from the converted model`);
        if (out.dims.join(',') !== ref.dims.join(',')) {
          throw new ValidationError(`${modelFile}: output ${name} has shape [${out.dims.join(', ')}], expected [${ref.dims.join(', ')}]`);
        }
        const data = out.data as Float32Array;
        let diff = 0;
        for (let i = 0; i < data.length; i++) {
          const d = Math.abs((data[i] as number) - (ref.data[i] as number));
          // NaN must count as a failure, and Math.max would hide it.
          diff = d > diff || Number.isNaN(d) ? d : diff;
        }
        maxAbsDiff[name] = diff;
        worst = Number.isNaN(diff) || diff > worst ? diff : worst;
      }
      results.push({ inputs: kind, shape: [c.batch, c.seq] as const, maxAbsDiff });
    }
    return { passed: worst <= VALIDATION_TOLERANCE, tolerance: VALIDATION_TOLERANCE, cases: results, maxAbsDiff: worst };
  } finally {
    await session.release();
  }
}
