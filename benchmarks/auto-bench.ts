import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bench } from '../src/bench/bench.js';
import { convert } from '../src/convert/convert.js';
import { evaluate } from '../src/eval/evaluate.js';
import { MODEL_PATH } from '../src/model-folder/layout.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../src/paths.js';
import { CALIBRATION_DEFAULTS } from '../src/quantize/calibrate/calibrate.js';
import { quantizeCalibrated, quantizeFile } from '../src/quantize/quantize.js';
import { autoQuantize } from '../src/tune/auto-quantize.js';
import { writeStressModel } from '../test/helpers/stress-model.js';

/**
 * bench:auto — for each bundled SST-2 model, as shipped and as a stress copy (an outlier channel
 * planted by function-preserving rescaling, test/helpers/stress-model.ts), and each recipe
 * (dynamic int8, static int8 per-channel minmax): SST-2 dev accuracy (all 872) of fp32, the
 * plain recipe and `quantize --max-drop 1` (budget checked on 200 train examples, seed 0), the
 * groups kept in float, size and p50 latency (batch 1, sequence 128, each model in its own child
 * via bench()), and the search time. Prints figures; asserts nothing.
 */
const MAX_DROP = Number(process.env['MAX_DROP'] ?? 1);
const calibration = { ...CALIBRATION_DEFAULTS, task: 'sst2', dataDir: BUNDLED_GLUE_DIR };
const devAccuracy = async (modelDir: string, modelFile: string) =>
  100 * ((await evaluate({ modelDir, modelFile, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'all' } })).metrics[0]?.value ?? NaN);

async function p50s(files: readonly string[]): Promise<number[]> {
  const report = await bench({
    models: files.map((p) => ({ kind: 'path', path: p }) as const), batchSizes: [1], sequenceLengths: [128],
    warmupIterations: 3, stop: { minIterations: 10, minTimeMs: 1500 },
  });
  return report.models.map((m) => {
    const point = m.points[0];
    return point?.state === 'completed' ? point.latency.p50Ms : NaN;
  });
}

async function one(label: string, dir: string, recipe: 'dynamic' | 'static'): Promise<void> {
  const fp32File = path.join(dir, MODEL_PATH);
  const plainFile = path.join(dir, 'onnx', `plain_${recipe}.onnx`);
  const options = recipe === 'static' ? { perChannel: true } : {};
  if (recipe === 'static') await quantizeCalibrated({ input: dir, output: plainFile, options, calibration });
  else quantizeFile({ input: dir, output: plainFile });
  const t0 = performance.now();
  const record = await autoQuantize({
    input: dir, output: path.join(dir, 'onnx', `auto_${recipe}.onnx`), options, ...(recipe === 'static' ? { calibration } : {}),
    task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 200, seed: 0, budget: { maxDropPoints: MAX_DROP },
  });
  const seconds = (performance.now() - t0) / 1000;
  const files = [fp32File, plainFile, record.output.model];
  const accuracy: number[] = [];
  for (const f of files) accuracy.push(await devAccuracy(dir, f));
  const latency = await p50s(files);
  const kept = record.auto.groups.filter((g) => g.keptInFloat).map((g) => g.label);
  console.log(`${label}, ${recipe} int8: search ${seconds.toFixed(1)} s (${record.auto.candidates} candidates); kept in float: ${kept.join(', ') || 'nothing'}`);
  ['fp32', 'plain', 'searched'].forEach((name, i) => {
    const mb = fs.statSync(files[i] as string).size / 1e6;
    console.log(`  ${name.padEnd(9)} dev ${accuracy[i]?.toFixed(2)}  ${mb.toFixed(2)} MB  p50 ${latency[i]?.toFixed(2)} ms`);
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-auto-'));
try {
  console.log(`SST-2 dev (872); --max-drop ${MAX_DROP} checked on 200 SST-2 train examples; p50 at batch 1, sequence 128; ${os.cpus().length} logical cores`);
  for (const [name, layers] of [['bert-sst2-mini', [0, 1]], ['albert-sst2-mini', [0]]] as const) {
    const dir = path.join(work, name);
    await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, name) }, outDir: dir, validate: false });
    const stress = writeStressModel(dir, path.join(work, `${name}-stress`), { layers, channel: 0, factor: 3000 });
    for (const recipe of ['dynamic', 'static'] as const) {
      await one(name, dir, recipe);
      await one(`${name} (stress)`, stress, recipe);
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
