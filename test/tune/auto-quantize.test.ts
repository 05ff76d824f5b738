import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { CALIBRATION_DEFAULTS } from '../../src/quantize/calibrate/calibrate.js';
import { quantizeCalibrated, quantizeFile } from '../../src/quantize/quantize.js';
import { autoQuantize } from '../../src/tune/auto-quantize.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { withoutProgress } from '../helpers/progress-lines.js';
import { stressPairs, type StressPair } from '../helpers/stress-folders.js';

const evaluated = new Map<string, Promise<{ accuracy: number; preds: number[] }>>();

/** SST-2 dev accuracy in points and the predictions, each model file evaluated once per run. */
function devAccuracy(modelDir: string, modelFile?: string): Promise<{ accuracy: number; preds: number[] }> {
  const key = `${modelDir}|${modelFile ?? ''}`;
  let hit = evaluated.get(key);
  if (hit === undefined) {
    hit = evaluate({ modelDir, ...(modelFile ? { modelFile } : {}), task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'all' } })
      .then((r) => ({ accuracy: (r.metrics[0]?.value ?? NaN) * 100, preds: r.predictions.map((p) => p.pred) }));
    evaluated.set(key, hit);
  }
  return hit;
}

const calibration = { ...CALIBRATION_DEFAULTS, task: 'sst2', dataDir: BUNDLED_GLUE_DIR };
const RECIPES = {
  dynamic: { options: {}, plain: (dir: string, out: string) => Promise.resolve(quantizeFile({ input: dir, output: out })) },
  static: {
    options: { perChannel: true },
    plain: (dir: string, out: string) => quantizeCalibrated({ input: dir, output: out, options: { perChannel: true }, calibration }),
  },
} as const;

describe('quantize --max-drop checks the recipe as quantize does, before reading the model', () => {
  const request = { input: 'no-such-model', task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 10, seed: 0, budget: {} };

  it('refuses a 4-bit block size MatMulNBits does not take', async () => {
    await assert.rejects(
      autoQuantize({ ...request, options: { bits: 4, blockSize: 24 } }),
      (e) => e instanceof UsageError && /--block-size 24 must be a power of two/.test(e.message),
    );
  });

  it('refuses calibration with 4-bit weights rather than making static int8', async () => {
    await assert.rejects(
      autoQuantize({ ...request, options: { bits: 4 }, calibration }),
      (e) => e instanceof UsageError && /--calibrate measures activation ranges for int8/.test(e.message),
    );
  });
});

describe('quantize --max-drop on stress models made from the bundled SST-2 models', () => {
  let pairs: StressPair[] = [];
  before(async () => {
    pairs = await stressPairs();
  });

  for (const name of ['bert-sst2-mini', 'albert-sst2-mini']) {
    it(`${name}: the rescaled copy predicts exactly as the original in fp32`, async () => {
      const p = pairs.find((x) => x.name === name)!;
      const [original, stress] = [await devAccuracy(p.fp32Dir), await devAccuracy(p.stressDir)];
      assert.deepEqual(stress.preds, original.preds);
    });

    for (const recipe of ['dynamic', 'static'] as const) {
      it(`${name}, ${recipe} int8: plain loses > 1 point of dev accuracy; --max-drop 1, checked on train, ends within 1 point on dev`, async () => {
        const p = pairs.find((x) => x.name === name)!;
        const fp32 = await devAccuracy(p.stressDir);
        const plainFile = path.join(p.stressDir, 'onnx', `plain_${recipe}.onnx`);
        await RECIPES[recipe].plain(p.stressDir, plainFile);
        const plain = await devAccuracy(p.stressDir, plainFile);
        assert.ok(fp32.accuracy - plain.accuracy > 1, `plain ${recipe} int8 ${plain.accuracy.toFixed(2)} vs fp32 ${fp32.accuracy.toFixed(2)}`);

        const record = await autoQuantize({
          input: p.stressDir, output: path.join(p.stressDir, 'onnx', `auto_${recipe}.onnx`), options: RECIPES[recipe].options,
          ...(recipe === 'static' ? { calibration } : {}),
          task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 200, seed: 0, budget: { maxDropPoints: 1 },
        });
        assert.equal(record.auto.sample.split, 'train');
        assert.equal(path.basename(record.dataFile), 'train.tsv');
        assert.ok(record.auto.finalMetric >= record.auto.budget.targetMetric);
        const kept = record.auto.groups.filter((g) => g.keptInFloat);
        assert.ok(kept.length >= 1 && kept.length <= 4, kept.map((g) => g.label).join(', '));
        assert.ok(kept.every((g) => g.role === 'value' || g.role === 'attention-output'), kept.map((g) => g.label).join(', '));
        assert.ok(record.excluded.length >= kept.length && record.excluded.every((n) => /attention\/(value|output)\//.test(n)), record.excluded.join(', '));
        const auto = await devAccuracy(p.stressDir, record.output.model);
        assert.ok(fp32.accuracy - auto.accuracy <= 1, `auto ${auto.accuracy.toFixed(2)} vs fp32 ${fp32.accuracy.toFixed(2)}`);
        assert.ok(record.output.bytes < record.input.bytes, 'the variant is still compressed');
      });
    }
  }

  it('ALBERT: a shared weight is one group, run by every layer', async () => {
    const p = pairs.find((x) => x.name === 'albert-sst2-mini')!;
    const record = await autoQuantize({ input: p.stressDir, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 64, seed: 1, budget: { maxDropPoints: 100 } });
    const values = record.auto.groups.filter((g) => g.role === 'value');
    assert.equal(values.length, 1);
    assert.deepEqual(values[0]?.layers, [0, 1, 2, 3]);
    assert.match(values[0]?.label ?? '', /shared by 4/);
    assert.equal(record.auto.groups.filter((g) => g.keptInFloat).length, 0, 'a 100-point budget keeps nothing in float');
  });

  it('CLI: refuses with one line and exit 1 when no candidate within the float limit meets the budget', () => {
    const p = pairs.find((x) => x.name === 'albert-sst2-mini')!;
    const r = spawnSync(process.execPath, [
      path.join(REPO_ROOT, 'dist', 'cli.js'), 'quantize', p.stressDir, '--max-drop', '1', '--task', 'sst2', '--samples', '100', '--max-float', '1',
    ], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const lines = withoutProgress(r.stderr).trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /cannot meet --max-drop 1 \(accuracy >= [\d.]+%\) on the SST-2 train sample \(100 examples, seed 0\): fp32 [\d.]+%, all quantized/);
  });

  it('CLI: --max-drop without a task is a usage error (exit 2)', () => {
    const p = pairs.find((x) => x.name === 'albert-sst2-mini')!;
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'quantize', p.stressDir, '--max-drop', '1'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--max-drop and --min-accuracy need --task/);
  });
});
