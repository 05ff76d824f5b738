import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tensor } from 'onnxruntime-node';
import { OnnxError } from '../../errors.js';
import type { TokenBatch } from '../../tokenizers/encode.js';
import type { OnnxModel } from '../../onnx/model.js';
import { feedsFor } from '../../onnx/model-inputs.js';
import { writeModel } from '../../onnx/serde.js';
import { openSession } from '../../onnx/session.js';
import { withExtraOutputs } from './probe-model.js';
import type { RangeEstimator } from './range-estimator.js';
import { unpaddedValues } from './unpadded.js';

export interface CollectOptions {
  readonly threads?: number;
  /** Called after each batch with (done, total). */
  readonly onBatch?: (done: number, total: number) => void;
}

/**
 * Runs the fp32 model over the calibration batches with every target activation as an extra
 * output, and feeds each target's unpadded values to its own estimator. The copy with extra
 * outputs lives in a temporary folder, removed afterwards.
 */
export async function collectActivations(
  model: OnnxModel,
  targets: readonly string[],
  batches: readonly TokenBatch[],
  makeEstimator: () => RangeEstimator,
  opts: CollectOptions = {},
): Promise<Map<string, RangeEstimator>> {
  const ort = await import('onnxruntime-node');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-calibrate-'));
  const probe = path.join(dir, 'model.onnx');
  const estimators = new Map(targets.map((t) => [t, makeEstimator()]));
  try {
    writeModel(withExtraOutputs(model, targets), probe);
    const session = await openSession(probe, opts.threads === undefined ? {} : { intraOpNumThreads: opts.threads });
    try {
      for (const [b, batch] of batches.entries()) {
        const all: Record<string, Tensor> = feedsFor(ort, batch);
        const feeds = Object.fromEntries(session.inputNames.map((n) => [n, all[n]]).filter((e): e is [string, Tensor] => e[1] !== undefined));
        const out = await session.run(feeds, [...targets]);
        for (const [name, estimator] of estimators) {
          const t = out[name];
          if (t === undefined || t.type !== 'float32') {
            throw new OnnxError(probe, `activation ${name} did not come back as float32; is the model already quantized?`);
          }
          estimator.observe(unpaddedValues(t.data as Float32Array, t.dims, batch.attentionMask, batch.dims));
        }
        opts.onBatch?.(b + 1, batches.length);
      }
    } finally {
      await session.release();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return estimators;
}
