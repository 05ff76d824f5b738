import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OnnxError } from '../../src/errors.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import type { QuantizeOptions } from '../../src/quantize/options.js';
import { quantizeFile } from '../../src/quantize/quantize.js';
import { recordFileFor } from '../../src/model-folder/layout.js';
import { agreement, convertedFixture, encoderFeeds, modelFile, runFirstOutput } from '../helpers/quantize.js';
import { forThisCpu } from '../helpers/int8-kernels.js';
import { tempDir } from '../helpers/paths.js';

const VOCAB = 1000;

/**
 * Bounds on max |logit difference| relative to the largest |fp32 logit|, per variant. The tiny
 * fixtures use initializer_range 0.2 (activations O(1)), harsher on int8 than trained models.
 */
const VARIANTS: ReadonlyArray<{ name: string; options: Partial<QuantizeOptions>; bound: number }> = [
  { name: 'dynamic int8 (qoperator)', options: {}, bound: 0.1 },
  { name: 'dynamic int8 (qdq)', options: { format: 'qdq' }, bound: 0.1 },
  { name: 'per-channel', options: { perChannel: true }, bound: 0.1 },
  { name: 'uint8 weights', options: { weightType: 'uint8' }, bound: 0.1 },
  { name: 'reduce-range', options: { reduceRange: true }, bound: 0.15 },
  { name: 'int8 with embeddings', options: { embeddings: true }, bound: 0.1 },
  { name: 'int8, embeddings, float16 vectors', options: { embeddings: true, float16Vectors: true }, bound: 0.1 },
  { name: 'int4 blocks with embeddings', options: { bits: 4, blockSize: 16, embeddings: true }, bound: 0.45 },
];

const REDUCE_RANGE_BOUND = VARIANTS.find((v) => v.options.reduceRange === true)?.bound ?? 0;

describe('quantize: tiny fixtures agree with fp32 in onnxruntime', () => {
  for (const fixture of ['bert-tiny-cls', 'albert-tiny-cls']) {
    for (const v of VARIANTS) {
      it(`${fixture}, ${v.name}: argmax agrees, logits close`, async (t) => {
        const dir = await convertedFixture(fixture);
        const out = path.join(tempDir(), 'q.onnx');
        const options = forThisCpu(v.options);
        // Where this CPU needs 7-bit weights (int8-kernels.ts), the bound is the reduce-range variant's own.
        const bound = options.reduceRange === true ? Math.max(v.bound, REDUCE_RANGE_BOUND) : v.bound;
        quantizeFile({ input: dir, output: out, options });
        const feeds = encoderFeeds(VOCAB);
        const ref = await runFirstOutput(modelFile(dir), feeds);
        const got = await runFirstOutput(out, feeds);
        assert.deepEqual(got.dims, ref.dims);
        const a = agreement(ref.data, got.data, ref.dims[ref.dims.length - 1] as number);
        t.diagnostic(`max |logit diff| ${a.maxAbsDiff.toFixed(4)} (largest |logit| ${a.maxAbsRef.toFixed(2)}), argmax agreement ${a.argmaxAgreement}`);
        // Random tiny models have near-ties; a row may flip only if its fp32 margin is within 2x the max difference.
        assert.ok(a.argmaxAgreement >= 0.85, `argmax agreement ${a.argmaxAgreement}`);
        assert.equal(a.decisiveFlips, 0, 'a row with a clear fp32 winner changed its argmax');
        assert.ok(a.maxAbsDiff <= bound * a.maxAbsRef, `max |logit diff| ${a.maxAbsDiff} > ${bound} x ${a.maxAbsRef}`);
      });
    }
  }
});

describe('quantize: storage', () => {
  it('ALBERT shared layers: each shared weight is quantized once and stored once', async () => {
    const dir = await convertedFixture('albert-tiny-groups');
    const out = path.join(tempDir(), 'q.onnx');
    const record = quantizeFile({ input: dir, output: out });
    const inits = readOnnxModel(out).graph.initializers.map((i) => i.name);
    assert.equal(new Set(inits).size, inits.length);
    // 2 groups x 2 inner layers = 4 distinct query weights, read by 8 executed blocks.
    assert.equal(inits.filter((n) => /query\.weight\.T_quantized/.test(n)).length, 4);
    assert.equal(record.quantized.filter((q) => q.name.includes('/attention/query/')).length, 8);
    assert.equal(inits.some((n) => n.endsWith('query.weight.T')), false, 'the fp32 weights are gone');
  });

  it('the tied MLM decoder reads the int8 embedding table itself: one [1000, 64] table in the file', async () => {
    const dir = await convertedFixture('bert-tiny-mlm');
    const out = path.join(tempDir(), 'q.onnx');
    quantizeFile({ input: dir, output: out, options: { embeddings: true } });
    const tables = readOnnxModel(out).graph.initializers.filter((i) => i.tensor.shape.join('x') === '1000x64');
    assert.deepEqual(tables.map((t) => t.tensor.dtype), ['int8']);
    const feeds = encoderFeeds(VOCAB, 2, 8);
    const ref = await runFirstOutput(modelFile(dir), feeds);
    const got = await runFirstOutput(out, feeds);
    assert.ok(agreement(ref.data, got.data, VOCAB).argmaxAgreement >= 0.9);
  });

  it('int4 is smaller than int8, which is smaller than fp32', async () => {
    const dir = await convertedFixture('bert-tiny-cls');
    const q8 = quantizeFile({ input: dir, output: path.join(tempDir(), 'q8.onnx'), options: { embeddings: true } });
    const q4 = quantizeFile({ input: dir, output: path.join(tempDir(), 'q4.onnx'), options: { embeddings: true, bits: 4, blockSize: 16 } });
    assert.ok(q4.output.bytes < q8.output.bytes && q8.output.bytes < q8.input.bytes / 3, `${q8.input.bytes} -> ${q8.output.bytes} / ${q4.output.bytes}`);
  });
});

describe('quantize: files, names and refusals', () => {
  it('a model folder gets onnx/model_quantized.onnx (q8) or model_q4.onnx beside model.onnx, each with a JSON record', async () => {
    const src = await convertedFixture('bert-tiny-cls');
    const dir = path.join(tempDir(), 'm');
    fs.cpSync(src, dir, { recursive: true });
    const q8 = quantizeFile({ input: dir });
    const q4 = quantizeFile({ input: dir, options: { bits: 4, blockSize: 16 } });
    assert.equal(q8.output.model, path.join(dir, 'onnx', 'model_quantized.onnx'));
    assert.equal(q4.output.model, path.join(dir, 'onnx', 'model_q4.onnx'));
    const record = JSON.parse(fs.readFileSync(recordFileFor(q8.output.model), 'utf8')) as { format: string; quantized: unknown[] };
    assert.equal(record.format, 'albench-quantize-v1');
    assert.equal(record.quantized.length, q8.quantized.length);
  });

  it('an already-quantized model is refused with an OnnxError naming the file', async () => {
    const dir = await convertedFixture('bert-tiny-cls');
    const out = path.join(tempDir(), 'q.onnx');
    quantizeFile({ input: dir, output: out });
    assert.throws(() => quantizeFile({ input: out, output: path.join(tempDir(), 'qq.onnx') }), (e: unknown) => e instanceof OnnxError && e.message.startsWith(out) && /already quantized/.test(e.message));
  });

  it('--exclude keeps matching nodes in float', async () => {
    const dir = await convertedFixture('bert-tiny-cls');
    const r = quantizeFile({ input: dir, output: path.join(tempDir(), 'q.onnx'), options: { exclude: ['/classifier/Gemm*', 'layer.1/ffn'] } });
    assert.deepEqual(r.excluded, ['/encoder/layer.1/ffn/intermediate/MatMul', '/encoder/layer.1/ffn/output/MatMul', '/classifier/Gemm']);
    assert.equal(r.quantized.some((q) => r.excluded.includes(q.name)), false);
    assert.ok(r.quantized.some((q) => q.name === '/classifier/pooler/Gemm'), 'the pattern matches whole names only');
  });
});
