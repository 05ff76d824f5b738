import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { INT8_RECIPE, recipeText, withInt8Recipe } from '../../src/compare/int8-recipe.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { quantizeFile } from '../../src/quantize/quantize.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { agreement, convertedFixture, encoderFeeds, modelFile, runFirstOutput } from '../helpers/quantize.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const opTypes = (file: string) => readOnnxModel(file).graph.nodes.map((n) => n.opType);
const dtypes = (file: string) => new Set(readOnnxModel(file).graph.initializers.map((i) => i.tensor.dtype));

describe('the dynamic int8 recipe', () => {
  it('fills in fusion, int8 embeddings and float16 vectors for dynamic int8 only; a choice given is kept', () => {
    const dynamic = withInt8Recipe({ input: 'm' });
    assert.deepEqual(dynamic.options, { embeddings: true, float16Vectors: true });
    assert.equal(typeof dynamic.fuse, 'function');
    const kept = withInt8Recipe({ input: 'm' }, { fuseAttention: false, embeddings: false, float16Vectors: false });
    assert.deepEqual(kept.options, { embeddings: false, float16Vectors: false });
    assert.equal(kept.fuse, undefined);
    for (const options of [{ format: 'qdq' }, { bits: 4 }] as const) {
      const other = withInt8Recipe({ input: 'm', options });
      assert.deepEqual(other.options, { ...options, embeddings: false, float16Vectors: false });
      assert.equal(other.fuse, undefined, JSON.stringify(options));
    }
    assert.deepEqual(INT8_RECIPE, { fuseAttention: true, embeddings: true, float16Vectors: true });
  });

  it('says what it did in words', () => {
    assert.deepEqual(recipeText({ embeddings: true, float16Vectors: true }, true), [
      'attention fused (Attention, quantized as QAttention)',
      'MatMul/Gemm weights int8 (per tensor), activations int8 (ranges found at run time)',
      'embedding tables int8',
      'biases and LayerNorm vectors float16',
    ]);
  });

  for (const fixture of ['bert-tiny-cls', 'albert-tiny-cls']) {
    it(`${fixture}: QAttention, int8 tables, float16 vectors; smaller than plain int8 and agrees with fp32`, async () => {
      const dir = await convertedFixture(fixture);
      const out = path.join(tempDir(), 'recipe.onnx');
      const record = quantizeFile(withInt8Recipe({ input: dir, output: out }));
      const plain = quantizeFile({ input: dir, output: path.join(tempDir(), 'plain.onnx') });
      assert.ok(record.attentionFused > 0 && plain.attentionFused === 0);
      assert.ok(opTypes(out).includes('QAttention') && !opTypes(out).includes('Attention'));
      assert.ok(dtypes(out).has('float16'));
      assert.ok(record.quantized.some((q) => q.opType === 'Gather'), 'the embedding tables are int8');
      assert.ok(record.output.bytes < plain.output.bytes, `${record.output.bytes} vs ${plain.output.bytes}`);
      const feeds = encoderFeeds(1000);
      const ref = await runFirstOutput(modelFile(dir), feeds);
      const got = await runFirstOutput(out, feeds);
      const a = agreement(ref.data, got.data, ref.dims[ref.dims.length - 1] as number);
      assert.equal(a.decisiveFlips, 0);
      assert.ok(a.maxAbsDiff <= 0.1 * a.maxAbsRef, `${a.maxAbsDiff}`);
    });
  }

  it('CLI: quantize without mode flags builds the recipe into model_quantized.onnx; the old default is one set of flags away', async () => {
    const dir = path.join(tempDir(), 'm');
    fs.cpSync(await convertedFixture('bert-tiny-cls'), dir, { recursive: true });
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'quantize', dir, ...args], { encoding: 'utf8' });
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /fused 2 attention blocks first/);
    const out = path.join(dir, 'onnx', 'model_quantized.onnx');
    assert.ok(opTypes(out).includes('QAttention') && dtypes(out).has('float16'));
    const old = run('-o', path.join(dir, 'old.onnx'), '--no-fuse-attention', '--embeddings', 'float', '--float32-vectors');
    assert.equal(old.status, 0, old.stderr);
    assert.ok(!opTypes(path.join(dir, 'old.onnx')).includes('QAttention') && !dtypes(path.join(dir, 'old.onnx')).has('float16'));
    const both = run('-o', path.join(dir, 'x.onnx'), '--float16-vectors', '--float32-vectors');
    assert.equal(both.status, 2);
    assert.match(both.stderr, /contradict/);
  });
});
