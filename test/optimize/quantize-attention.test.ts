import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { optimizeFile } from '../../src/optimize/optimize.js';
import type { QuantizeOptions } from '../../src/quantize/options.js';
import { quantizeFile } from '../../src/quantize/quantize.js';
import { tempDir } from '../helpers/paths.js';
import { forThisCpu } from '../helpers/int8-kernels.js';
import { agreement, convertedFixture, encoderFeeds, modelFile, runFirstOutput } from '../helpers/quantize.js';

async function optimized(fixture: string): Promise<{ dir: string; file: string }> {
  const dir = await convertedFixture(fixture);
  const file = path.join(tempDir(), 'opt.onnx');
  optimizeFile({ input: dir, output: file });
  return { dir, file };
}

describe('quantize an optimized graph: Attention -> QAttention', () => {
  for (const fixture of ['bert-tiny-cls', 'albert-tiny-cls']) {
    for (const options of [{}, { perChannel: true }, { weightType: 'uint8' }] as ReadonlyArray<Partial<QuantizeOptions>>) {
      it(`${fixture} ${JSON.stringify(options)}: every Attention becomes QAttention, logits agree with fp32 on padded batches`, async (t) => {
        const { dir, file } = await optimized(fixture);
        const out = path.join(tempDir(), 'q.onnx');
        const record = quantizeFile({ input: file, output: out, options: forThisCpu(options) });
        const ops = readOnnxModel(out).graph.nodes.map((n) => n.opType);
        assert.equal(ops.includes('Attention'), false);
        assert.equal(ops.filter((o) => o === 'QAttention').length, readOnnxModel(file).graph.nodes.filter((n) => n.opType === 'Attention').length);
        assert.ok(record.quantized.some((q) => q.opType === 'Attention' && q.as.includes('QAttention')));
        const feeds = encoderFeeds(1000);
        const ref = await runFirstOutput(modelFile(dir), feeds);
        const got = await runFirstOutput(out, feeds);
        const a = agreement(ref.data, got.data, ref.dims[ref.dims.length - 1] as number);
        t.diagnostic(`max |logit diff| ${a.maxAbsDiff.toFixed(4)} (largest ${a.maxAbsRef.toFixed(2)}), argmax agreement ${a.argmaxAgreement}`);
        assert.equal(a.decisiveFlips, 0);
        assert.ok(a.maxAbsDiff <= 0.1 * a.maxAbsRef, `${a.maxAbsDiff}`);
      });
    }
  }

  it('albert-tiny-groups: 8 QAttention nodes read 4 int8 packed weights, each stored once', async () => {
    const { file } = await optimized('albert-tiny-groups');
    const out = path.join(tempDir(), 'q.onnx');
    quantizeFile({ input: file, output: out });
    const m = readOnnxModel(out);
    const q = m.graph.nodes.filter((n) => n.opType === 'QAttention');
    assert.equal(q.length, 8);
    const weights = new Set(q.map((n) => n.inputs[1]));
    assert.equal(weights.size, 4);
    for (const w of weights) assert.equal(m.graph.initializers.filter((i) => i.name === w)[0]?.tensor.dtype, 'int8');
    assert.equal(m.graph.initializers.some((i) => i.tensor.dtype === 'float32' && i.tensor.shape.join('x') === '64x192'), false, 'no float packed weight left');
  });

  it('QDQ, static and 4-bit modes leave Attention (and its float weights) as it is', async () => {
    const { file } = await optimized('bert-tiny-cls');
    for (const options of [{ format: 'qdq' }, { activations: { kind: 'static', ranges: new Map() } }, { bits: 4, blockSize: 16 }] as ReadonlyArray<Partial<QuantizeOptions>>) {
      const out = path.join(tempDir(), 'q.onnx');
      quantizeFile({ input: file, output: out, options });
      const m = readOnnxModel(out);
      assert.equal(m.graph.nodes.filter((n) => n.opType === 'Attention').length, 2, JSON.stringify(options));
      const packed = m.graph.nodes.find((n) => n.opType === 'Attention')?.inputs[1] ?? '';
      assert.equal(m.graph.initializers.find((i) => i.name === packed)?.tensor.dtype, 'float32');
    }
  });
});
