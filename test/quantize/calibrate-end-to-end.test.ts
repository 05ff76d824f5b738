import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { evaluate, type EvalResult } from '../../src/eval/evaluate.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { CALIBRATION_DEFAULTS } from '../../src/quantize/calibrate/calibrate.js';
import { CALIBRATION_METHODS } from '../../src/quantize/calibrate/estimator.js';
import { quantizeCalibrated } from '../../src/quantize/quantize.js';
import { recordFileFor } from '../../src/model-folder/layout.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { agreement } from '../helpers/quantize.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { forThisCpu } from '../helpers/int8-kernels.js';
import { tinyTextModel } from '../helpers/text-model.js';

const logitsOf = (r: EvalResult) => Float32Array.from(r.predictions.flatMap((p) => p.logits));

describe('albench quantize --calibrate, end to end on a tiny fixture', () => {
  const sst2 = (modelDir: string, modelFile?: string) =>
    evaluate({ modelDir, ...(modelFile ? { modelFile } : {}), task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 200 } });

  for (const method of CALIBRATION_METHODS) {
    it(`${method}: the static QDQ model runs, agrees with fp32 on argmax, logits stay close`, async () => {
      const dir = await tinyTextModel();
      const fp32 = await sst2(dir);
      const output = path.join(dir, 'onnx', `model_int8_${method}.onnx`);
      const record = await quantizeCalibrated({
        input: dir, output, options: forThisCpu({ perChannel: true }),
        calibration: { ...CALIBRATION_DEFAULTS, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 64, method },
      });
      const graph = readOnnxModel(output).graph;
      // Static: every activation is quantized by a QuantizeLinear with a constant scale, none at run time.
      assert.ok(!graph.nodes.some((n) => n.opType === 'DynamicQuantizeLinear'));
      assert.equal(graph.nodes.filter((n) => n.opType === 'QuantizeLinear').length, record.quantized.length);
      assert.equal(record.settings.activations, 'static');
      assert.equal(record.settings.format, 'qdq');
      const c = record.calibration;
      assert.ok(c !== null && c.method === method && c.samples === 64 && c.split === 'train' && c.summary.values === 10);
      assert.deepEqual(JSON.parse(fs.readFileSync(recordFileFor(output), 'utf8')).calibration.method, method);

      const got = await sst2(dir, output);
      const a = agreement(logitsOf(fp32), logitsOf(got), 2);
      assert.ok(a.argmaxAgreement >= 0.9, `argmax agreement ${a.argmaxAgreement}`);
      assert.ok(a.maxAbsDiff <= 0.1 * a.maxAbsRef + 0.05, `max |logit diff| ${a.maxAbsDiff} (max |logit| ${a.maxAbsRef})`);
      assert.equal(a.decisiveFlips, 0);
    });
  }

  it('lands as onnx/model_int8.onnx by default', async () => {
    const dir = await tinyTextModel();
    const r = await quantizeCalibrated({ input: dir, calibration: { ...CALIBRATION_DEFAULTS, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 16 } });
    assert.equal(r.output.model, path.join(dir, 'onnx', 'model_int8.onnx'));
  });

  it('CLI: --calibrate prints the calibration line and exits 0; with --bits 4 it is a usage error (exit 2)', async () => {
    const dir = await tinyTextModel();
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'quantize', dir, ...args], { encoding: 'utf8' });
    const ok = cli('-o', path.join(dir, 'onnx', 'cli_int8.onnx'), '--calibrate', 'sst2', '--samples', '16', '--method', 'percentile', '--percentile', '99.9');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /calibrated 10 activation ranges \(percentile 99\.9\) on 16 sst2 train examples/);
    const bad = cli('--calibrate', 'sst2', '--bits', '4');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error: --calibrate measures activation ranges for int8/);
  });
});
