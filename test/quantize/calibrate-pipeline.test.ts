import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { calibrate, CALIBRATION_DEFAULTS } from '../../src/quantize/calibrate/calibrate.js';
import { calibrationData } from '../../src/quantize/calibrate/calibration-data.js';
import { minMaxEstimator } from '../../src/quantize/calibrate/minmax.js';
import { withExtraOutputs } from '../../src/quantize/calibrate/probe-model.js';
import { calibrationTargets } from '../../src/quantize/calibrate/targets.js';
import { unpaddedValues } from '../../src/quantize/calibrate/unpadded.js';
import { DEFAULT_OPTIONS } from '../../src/quantize/options.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { modelFile } from '../helpers/quantize.js';
import { tempDir } from '../helpers/paths.js';
import { tinyTextModel } from '../helpers/text-model.js';

const settings = { ...CALIBRATION_DEFAULTS, task: 'sst2', dataDir: BUNDLED_GLUE_DIR, samples: 48 };

describe('calibration pipeline', () => {
  it('padded positions are dropped from [batch, sequence, ...] activations; pooled [batch, hidden] ones are kept whole', () => {
    // Two rows of three positions, hidden 2; row 1 has one padded position holding a huge value.
    const data = Float32Array.of(1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 1e6, -1e6);
    const mask = BigInt64Array.of(1n, 1n, 1n, 1n, 1n, 0n);
    const kept = unpaddedValues(data, [2, 3, 2], mask, [2, 3]);
    assert.deepEqual([...kept], [1, -1, 2, -2, 3, -3, 4, -4, 5, -5]);
    const e = minMaxEstimator();
    e.observe(kept);
    assert.deepEqual(e.range(), { min: -5, max: 5 });
    const pooled = Float32Array.of(1, 2, 3, 4);
    assert.equal(unpaddedValues(pooled, [2, 2], BigInt64Array.of(1n, 0n, 1n, 1n), [2, 2]), pooled);
  });

  it('targets are the inputs of the linears a rule quantizes (not attention\'s activation products), each once, minus --exclude', async () => {
    const model = readOnnxModel(modelFile(await tinyTextModel()));
    const targets = calibrationTargets(model, DEFAULT_OPTIONS);
    // Per layer: the input shared by query/key/value, attention output, FFN in, FFN out; then pooler and classifier.
    assert.equal(targets.length, 2 * 4 + 2);
    assert.equal(new Set(targets).size, targets.length);
    assert.ok(!targets.some((t) => /Softmax|Transpose/.test(t)));
    const fewer = calibrationTargets(model, { ...DEFAULT_OPTIONS, exclude: ['/classifier/*'] });
    assert.equal(fewer.length, targets.length - 2);
    const probe = withExtraOutputs(model, targets);
    assert.equal(probe.graph.outputs.length, model.graph.outputs.length + targets.length);
    assert.ok(probe.graph.outputs.slice(1).every((o) => o.dims === null));
  });

  it('calibrates on the train split when the data folder has it, else on dev; batches have different lengths', async () => {
    const dir = await tinyTextModel();
    const train = calibrationData(dir, settings);
    assert.equal(train.split, 'train');
    assert.equal(train.indices.length, 48);
    const widths = new Set(train.batches.map((b) => b.dims[1]));
    assert.ok(widths.size > 1, 'batches padded to their own lengths');
    const devOnly = tempDir();
    fs.mkdirSync(path.join(devOnly, 'SST-2'));
    fs.copyFileSync(path.join(BUNDLED_GLUE_DIR, 'SST-2', 'dev.tsv'), path.join(devOnly, 'SST-2', 'dev.tsv'));
    assert.equal(calibrationData(dir, { ...settings, dataDir: devOnly }).split, 'dev');
    assert.throws(() => calibrationData(dir, { ...settings, samples: 0 }), (e: unknown) => e instanceof UsageError && /--samples/.test(e.message));
  });

  it('padding does not change the ranges: batched calibration equals one sentence at a time', async () => {
    const dir = await tinyTextModel();
    const model = readOnnxModel(modelFile(dir));
    const batched = await calibrate(model, dir, DEFAULT_OPTIONS, { ...settings, batchSize: 16 });
    const single = await calibrate(model, dir, DEFAULT_OPTIONS, { ...settings, batchSize: 1 });
    assert.ok(batched.record.batches < single.record.batches);
    for (const [value, r] of single.ranges) {
      const b = batched.ranges.get(value);
      assert.ok(b !== undefined);
      assert.ok(Math.abs(b.min - r.min) < 1e-4 && Math.abs(b.max - r.max) < 1e-4, `${value}: ${JSON.stringify(b)} vs ${JSON.stringify(r)}`);
    }
  });
});
