import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convert } from '../src/convert/convert.js';
import { evaluate, type EvalResult } from '../src/eval/evaluate.js';
import { modelFilePath } from '../src/model-folder/layout.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../src/paths.js';
import { CALIBRATION_DEFAULTS } from '../src/quantize/calibrate/calibrate.js';
import { CALIBRATION_METHODS } from '../src/quantize/calibrate/estimator.js';
import type { QuantizeOptions } from '../src/quantize/options.js';
import { quantizeCalibrated, quantizeFile, type QuantizeRecord } from '../src/quantize/quantize.js';

/**
 * bench:calibrate — SST-2 dev accuracy (all 872 sentences) of the bundled SST-2 models as fp32,
 * dynamic int8 and static int8 QDQ calibrated by each method on SAMPLES SST-2 train sentences,
 * with the share of fp32's accuracy kept and agreement with fp32's predictions. Weights are
 * per-channel unless PER_TENSOR=1. Prints figures; asserts nothing.
 */
const SAMPLES = Number(process.env['SAMPLES'] ?? CALIBRATION_DEFAULTS.samples);
const PER_CHANNEL = process.env['PER_TENSOR'] !== '1';

const accuracy = (r: EvalResult) => r.metrics[0]?.value ?? Number.NaN;
const agreement = (a: EvalResult, b: EvalResult) => a.predictions.filter((p, i) => p.pred === b.predictions[i]?.pred).length / a.predictions.length;

async function sst2(modelDir: string, modelFile: string): Promise<EvalResult> {
  return evaluate({ modelDir, modelFile, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'all' } });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-calibrate-'));
try {
  const weights: Partial<QuantizeOptions> = { perChannel: PER_CHANNEL };
  console.log(`SST-2 dev (872), static int8 QDQ calibrated on ${SAMPLES} SST-2 train sentences (seed ${CALIBRATION_DEFAULTS.seed}), weights ${PER_CHANNEL ? 'per-channel' : 'per-tensor'} int8`);
  for (const name of ['bert-sst2-mini', 'albert-sst2-mini']) {
    const dir = path.join(work, name);
    await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, name) }, outDir: dir });
    const fp32 = await sst2(dir, path.join(dir, 'onnx', 'model.onnx'));
    const line = (id: string, r: EvalResult, record: QuantizeRecord | null) => {
      const kept = (100 * accuracy(r)) / accuracy(fp32);
      const extra = record === null ? '' : `, ${(record.output.bytes / 1e6).toFixed(2)} MB${record.calibration === null ? '' : `, calibrated in ${record.calibration.seconds.toFixed(1)} s (${record.calibration.summary.clipped}/${record.calibration.summary.values} ranges clipped)`}`;
      console.log(`  ${name} ${id.padEnd(22)} ${accuracy(r).toFixed(4)}  ${kept.toFixed(1)}% of fp32, agreement ${(100 * agreement(r, fp32)).toFixed(1)}%${extra}`);
    };
    line('fp32', fp32, null);
    const dynamicFile = path.join(dir, modelFilePath('q8'));
    const dynamic = quantizeFile({ input: dir, output: dynamicFile, options: weights });
    line('int8 dynamic', await sst2(dir, dynamicFile), dynamic);
    for (const method of CALIBRATION_METHODS) {
      const file = path.join(dir, 'onnx', `model_int8_${method}.onnx`);
      const record = await quantizeCalibrated({
        input: dir, output: file, options: weights,
        calibration: { ...CALIBRATION_DEFAULTS, samples: SAMPLES, method, task: 'sst2', dataDir: BUNDLED_GLUE_DIR },
      });
      line(`int8 static ${method}`, await sst2(dir, file), record);
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
