import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { optimizeFile } from '../../src/optimize/optimize.js';
import { executedLayerBlocks, maxAbsDiff, runAllOutputs, runtimeOps } from '../helpers/optimize.js';
import { CHECKPOINTS, tempDir } from '../helpers/paths.js';
import { convertedFixture, encoderFeeds, modelFile } from '../helpers/quantize.js';

const VOCAB = 1000;
const TOLERANCE = 1e-4;

/** Padded batches: rows of 16, 13 and 10 real tokens (see encoderFeeds). */
async function assertSameOutputs(reference: string, optimized: string, tolerance: number): Promise<number> {
  const feeds = encoderFeeds(VOCAB, 6, 16);
  const ref = await runAllOutputs(reference, feeds);
  const got = await runAllOutputs(optimized, feeds);
  assert.deepEqual([...got.keys()], [...ref.keys()]);
  let worst = 0;
  for (const [name, values] of ref) {
    const d = maxAbsDiff(values, got.get(name) ?? new Float32Array());
    assert.ok(d <= tolerance, `${name}: max |difference| ${d} > ${tolerance}`);
    worst = Math.max(worst, d);
  }
  return worst;
}

describe('optimize: fused graphs compute what the converted ones do', () => {
  for (const fixture of ['bert-tiny-cls', 'bert-tiny-mlm', 'bert-tiny-regression', 'albert-tiny-cls', 'albert-tiny-groups']) {
    it(`${fixture}: one Attention per executed layer block, outputs within ${TOLERANCE} on padded batches`, async (t) => {
      const dir = await convertedFixture(fixture);
      const out = path.join(tempDir(), 'opt.onnx');
      const record = optimizeFile({ input: dir, output: out });
      const blocks = executedLayerBlocks(dir);
      assert.deepEqual(record.fused, { Attention: blocks });
      assert.equal(readOnnxModel(out).graph.nodes.filter((n) => n.opType === 'Softmax').length, 0, 'no attention left unfused');
      const worst = await assertSameOutputs(modelFile(dir), out, TOLERANCE);
      t.diagnostic(`${record.input.nodes} -> ${record.output.nodes} nodes, max |difference| ${worst}`);
    });
  }

  it('opset 14 and 21 graphs fuse too', async () => {
    for (const opset of [14, 21]) {
      const dir = path.join(tempDir(), `bert-${opset}`);
      await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'bert-tiny-cls') }, outDir: dir, opset, validate: false });
      const out = path.join(tempDir(), 'opt.onnx');
      assert.deepEqual(optimizeFile({ input: dir, output: out }).fused, { Attention: 2 });
      await assertSameOutputs(path.join(dir, MODEL_PATH), out, TOLERANCE);
    }
  });

  it('a folder gets onnx/model_optimized.onnx and its JSON record beside onnx/model.onnx', async () => {
    const dir = path.join(tempDir(), 'copy');
    fs.cpSync(await convertedFixture('bert-tiny-cls'), dir, { recursive: true });
    const record = optimizeFile({ input: dir });
    assert.equal(record.output.model, path.join(dir, 'onnx', 'model_optimized.onnx'));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'onnx', 'model_optimized.albench.json'), 'utf8')) as { input: { nodes: number }; output: { nodes: number }; fused: unknown };
    assert.deepEqual(json.fused, { Attention: 2 });
    assert.ok(json.output.nodes < json.input.nodes);
  });

  it('onnxruntime still fuses SkipLayerNormalization and Gelu around the Attention nodes at load', async () => {
    const dir = await convertedFixture('bert-tiny-cls');
    const out = path.join(tempDir(), 'opt.onnx');
    optimizeFile({ input: dir, output: out });
    const ops = await runtimeOps(out);
    assert.equal(ops.get('Attention'), 2);
    assert.equal(ops.get('SkipLayerNormalization'), 2 * 2 + 1, JSON.stringify([...ops]));
    assert.equal(ops.get('BiasGelu'), 2);
    for (const gone of ['Softmax', 'Transpose', 'Reshape', 'LayerNormalization']) assert.equal(ops.get(gone), undefined, `${gone} is left`);
  });
});

describe('optimize: ALBERT sharing', () => {
  it('albert-tiny-groups: 8 Attention nodes read 4 packed QKV weights, each stored once, and no unpacked q/k/v weights remain', async () => {
    const dir = await convertedFixture('albert-tiny-groups');
    const out = path.join(tempDir(), 'opt.onnx');
    const record = optimizeFile({ input: dir, output: out });
    const m = readOnnxModel(out);
    const names = m.graph.initializers.map((i) => i.name);
    assert.equal(new Set(names).size, names.length);
    const attention = m.graph.nodes.filter((n) => n.opType === 'Attention');
    assert.equal(attention.length, 8);
    const packed = new Set(attention.map((n) => n.inputs[1]));
    assert.equal(packed.size, 4);
    assert.equal(record.attention.packedWeights, 4);
    for (const p of packed) assert.deepEqual(m.graph.initializers.find((i) => i.name === p)?.tensor.shape, [64, 3 * 64]);
    assert.equal(names.some((n) => /\.(query|key|value)\.(weight|bias)/.test(n)), false, JSON.stringify(names));
    assert.ok(record.output.bytes <= record.input.bytes, `${record.input.bytes} -> ${record.output.bytes}`);
  });
});
