import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { optimizeFile } from '../../src/optimize/optimize.js';
import { maxAbsDiff, runAllOutputs } from '../helpers/optimize.js';
import { tempDir } from '../helpers/paths.js';
import { convertedFixture, encoderFeeds, modelFile } from '../helpers/quantize.js';

describe('optimize --fp16', () => {
  for (const fixture of ['bert-tiny-cls', 'albert-tiny-groups']) {
    it(`${fixture}: float16 weights, int64 inputs and float32 outputs as before, runs on CPU close to fp32`, async (t) => {
      const dir = path.join(tempDir(), fixture);
      fs.cpSync(await convertedFixture(fixture), dir, { recursive: true });
      const record = optimizeFile({ input: dir, fp16: true });
      assert.equal(record.output.model, path.join(dir, 'onnx', 'model_fp16.onnx'));
      const plain = readOnnxModel(modelFile(dir));
      const half = readOnnxModel(record.output.model);
      assert.deepEqual(half.graph.inputs, plain.graph.inputs);
      assert.deepEqual(half.graph.outputs, plain.graph.outputs);
      assert.deepEqual(half.graph.initializers.filter((i) => i.tensor.dtype === 'float32').map((i) => i.name), []);
      assert.ok(record.output.bytes < 0.6 * record.input.bytes, `${record.input.bytes} -> ${record.output.bytes}`);
      // Each float output is a Cast back to float32 of what the float16 graph computed.
      for (const o of half.graph.outputs) {
        const producer = half.graph.nodes.find((n) => n.outputs.includes(o.name));
        assert.equal(producer?.opType, 'Cast');
        assert.deepEqual(producer?.attributes['to'], { kind: 'int', value: 1 });
      }
      const attention = half.graph.nodes.filter((n) => n.opType === 'Attention');
      assert.equal(attention.length, record.fused['Attention']);
      for (const n of attention) assert.deepEqual(n.attributes['mask_filter_value'], { kind: 'float', value: -10000 });
      // onnxruntime's CPU provider runs it (casting around ops it has no float16 kernel for).
      const feeds = encoderFeeds(1000, 6, 16);
      const ref = await runAllOutputs(modelFile(dir), feeds);
      const got = await runAllOutputs(record.output.model, feeds);
      for (const [name, values] of ref) {
        const d = maxAbsDiff(values, got.get(name) ?? new Float32Array());
        const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        t.diagnostic(`${name}: max |fp16 - fp32| ${d.toFixed(5)} (largest |value| ${scale.toFixed(2)})`);
        assert.ok(d <= 0.01 * scale, `${name}: ${d}`);
      }
    });
  }
});
