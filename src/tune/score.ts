import { OnnxError } from '../errors.js';
import { METRICS } from '../glue/metrics.js';
import { feedsFor } from '../onnx/model-inputs.js';
import { openSession } from '../onnx/session.js';
import { toOriginalOrder } from '../tokenizers/batching.js';
import type { TrainSample } from './train-sample.js';

/** A candidate's figures on the train sample. */
export interface SampleScore {
  /** The task's first metric (accuracy for SST-2), a fraction. */
  readonly metric: number;
  /** Mean KL(fp32 || candidate) of the softmaxed logits, in nats; squared error of the score for regression. 0 for fp32. */
  readonly divergence: number;
}

export interface SampleRun {
  readonly logits: Float32Array;
  readonly predictions: Float64Array;
}

/** Runs a model file over the sample: logits in sample order and the predicted task labels. */
export async function runOnSample(modelFile: string, sample: TrainSample, threads?: number): Promise<SampleRun> {
  const ort = await import('onnxruntime-node');
  const session = await openSession(modelFile, threads === undefined ? {} : { intraOpNumThreads: threads });
  try {
    const outputs: Float32Array[] = [];
    for (const batch of sample.batches) {
      const out = (await session.run(feedsFor(ort, batch)))['logits'];
      if (out === undefined) throw new OnnxError(modelFile, 'has no "logits" output; the search needs a sequence-classification model');
      outputs.push(out.data as Float32Array);
    }
    const width = sample.logitWidth;
    const logits = toOriginalOrder(sample.order, outputs, width);
    const predictions = Float64Array.from({ length: sample.gold.length }, (_, i) => predictionOf(logits.subarray(i * width, (i + 1) * width), sample));
    return { logits, predictions };
  } finally {
    await session.release();
  }
}

function predictionOf(row: Float32Array, sample: TrainSample): number {
  if (sample.taskClassOf === null) return row[0] as number;
  let best = 0;
  for (let k = 1; k < row.length; k++) if ((row[k] as number) > (row[best] as number)) best = k;
  return sample.taskClassOf[best] as number;
}

function logSoftmax(row: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let k = 0; k < row.length; k++) max = Math.max(max, row[k] as number);
  let sum = 0;
  for (let k = 0; k < row.length; k++) sum += Math.exp((row[k] as number) - max);
  const log = max + Math.log(sum);
  return Array.from(row, (v) => v - log);
}

/** Mean over examples of KL(p || q) for the softmaxed rows of two logit matrices (mean squared difference for one-column regression). */
function meanDivergence(reference: Float32Array, candidate: Float32Array, width: number): number {
  const rows = reference.length / width;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const p = reference.subarray(i * width, (i + 1) * width);
    const q = candidate.subarray(i * width, (i + 1) * width);
    if (width === 1) {
      total += ((p[0] as number) - (q[0] as number)) ** 2;
      continue;
    }
    const lp = logSoftmax(p);
    const lq = logSoftmax(q);
    for (let k = 0; k < width; k++) total += Math.exp(lp[k] as number) * ((lp[k] as number) - (lq[k] as number));
  }
  return Math.max(0, total / rows);
}

export function scoreRun(run: SampleRun, reference: SampleRun, sample: TrainSample): SampleScore {
  return { metric: METRICS[sample.metricKey](sample.gold, run.predictions), divergence: meanDivergence(reference.logits, run.logits, sample.logitWidth) };
}
