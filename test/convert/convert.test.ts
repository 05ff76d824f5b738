import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH, RECORD_FILE } from '../../src/model-folder/layout.js';
import { CheckpointError, ConfigError, IoError, UnsupportedError, UsageError, ValidationError } from '../../src/errors.js';
import { readModelProto } from '../../src/onnx/serde.js';
import type onnxProto from 'onnx-proto';
import { copyCheckpoint, readSafetensorsF32, writeSafetensors } from '../helpers/checkpoint-copy.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';

/** The graph of a written model, with onnx-proto's optional fields made definite for assertions. */
function graphOf(file: string): { node: onnxProto.onnx.INodeProto[]; initializer: onnxProto.onnx.ITensorProto[] } {
  const g = readModelProto(file).graph;
  return { node: g?.node ?? [], initializer: g?.initializer ?? [] };
}

const fixture = (name: string) => ({ kind: 'checkpoint' as const, dir: path.join(CHECKPOINTS, name) });

describe('convert: graph structure', () => {
  it('ALBERT groups run as transformers runs them (8 blocks for L=4, G=2, inner=2) with each shared tensor stored once', async () => {
    const out = path.join(tempDir(), 'm');
    await convert({ source: fixture('albert-tiny-groups'), outDir: out });
    const graph = graphOf(path.join(out, MODEL_PATH));
    assert.equal(graph.node.filter((n) => n.opType === 'Softmax').length, 8);
    const names = graph.initializer.map((t) => t.name ?? '');
    assert.equal(new Set(names).size, names.length);
    const queryWeights = names.filter((n) => n.endsWith('attention.query.weight.T'));
    assert.equal(queryWeights.length, 4, 'one query weight per (group, inner layer), not per executed block');
    const onnxBytes = fs.statSync(path.join(out, MODEL_PATH)).size;
    const ckptBytes = fs.statSync(path.join(CHECKPOINTS, 'albert-tiny-groups', 'model.safetensors')).size;
    assert.ok(onnxBytes < ckptBytes * 1.15, `onnx ${onnxBytes} bytes vs checkpoint ${ckptBytes}`);
  });

  it('LayerNormalization carries the config epsilon (1e-12), not the ONNX default 1e-5', async () => {
    const out = path.join(tempDir(), 'm');
    await convert({ source: fixture('albert-tiny-groups'), outDir: out });
    const norms = graphOf(path.join(out, MODEL_PATH)).node.filter((n) => n.opType === 'LayerNormalization');
    assert.equal(norms.length, 1 + 8 * 2);
    for (const n of norms) assert.equal(Math.fround((n.attribute ?? []).find((a) => a.name === 'epsilon')?.f ?? 0), Math.fround(1e-12));
  });

  it('the MLM decoder is the word-embedding initializer itself (tied, stored once)', async () => {
    const out = path.join(tempDir(), 'm');
    await convert({ source: fixture('bert-tiny-mlm'), outDir: out });
    const graph = graphOf(path.join(out, MODEL_PATH));
    const gemm = graph.node.find((n) => n.opType === 'Gemm' && (n.name ?? '').includes('predictions'));
    assert.equal(gemm?.input?.[1], 'bert.embeddings.word_embeddings.weight');
    assert.equal(graph.initializer.filter((t) => (t.dims ?? []).map(Number).join('x') === '1000x64').length, 1);
  });

  it('opset 14 spells LayerNorm out and still validates; the model declares the opset asked for', async () => {
    const out = path.join(tempDir(), 'm');
    const record = await convert({ source: fixture('bert-tiny-cls'), outDir: out, opset: 14 });
    assert.equal(record.validation?.passed, true);
    const model = readModelProto(path.join(out, MODEL_PATH));
    assert.equal(Number(model.opsetImport?.[0]?.version), 14);
    assert.equal(graphOf(path.join(out, MODEL_PATH)).node.some((n) => n.opType === 'LayerNormalization'), false);
  });

  it('writes tensor data to external data when the model exceeds the threshold, and it still validates', async () => {
    const out = path.join(tempDir(), 'm');
    const record = await convert({ source: fixture('bert-tiny-cls'), outDir: out, externalDataThreshold: 1024 });
    assert.equal(record.output.externalData, 'model.onnx_data');
    assert.equal(record.validation?.passed, true);
    // Vectors under 1 KiB stay inline; the matrices (most of the 574,728 bytes of weights) go out.
    assert.ok(fs.statSync(path.join(out, 'onnx', 'model.onnx_data')).size >= 500_000);
    assert.ok(fs.statSync(path.join(out, MODEL_PATH)).size < 100_000);
  });

  it('albert-base-v2 with random weights is at most 47 MB: the shared layer is stored once', async () => {
    const out = path.join(tempDir(), 'm');
    const record = await convert({ source: { kind: 'random', configName: 'albert-base-v2', seed: 0 }, outDir: out, validate: false });
    const bytes = fs.statSync(path.join(out, MODEL_PATH)).size;
    assert.ok(bytes <= 47e6, `${bytes} bytes`);
    assert.equal(record.params.unique.total, 11_221_680);
  });
});

describe('convert: output folder and record', () => {
  it('lays out config.json, tokenizer files and onnx/model.onnx, with a record of sources and validation', async () => {
    const out = path.join(tempDir(), 'm');
    const record = await convert({ source: fixture('bert-tiny-cls'), outDir: out });
    assert.deepEqual(fs.readdirSync(out).sort(), ['albench.json', 'config.json', 'onnx']);
    const saved = JSON.parse(fs.readFileSync(path.join(out, RECORD_FILE), 'utf8')) as typeof record;
    assert.equal(saved.source.files.length, 2);
    assert.match(saved.source.files[1]?.sha256 ?? '', /^d2e5e249826b66a584c4d9c9fef5d5984e12df8d8ca025b76809af20d96db392$/);
    assert.ok((saved.validation?.maxAbsDiff ?? 1) < 1e-4);
  });

  it('a failed conversion leaves an earlier output intact and no temporary files', async () => {
    const root = tempDir();
    const out = path.join(root, 'm');
    await convert({ source: fixture('bert-tiny-cls'), outDir: out });
    const before = fs.readFileSync(path.join(out, MODEL_PATH));
    const broken = copyCheckpoint('bert-tiny-cls', { hidden_size: 32, num_attention_heads: 4 });
    await assert.rejects(convert({ source: { kind: 'checkpoint', dir: broken }, outDir: out }), CheckpointError);
    assert.deepEqual(fs.readFileSync(path.join(out, MODEL_PATH)), before);
    assert.deepEqual(fs.readdirSync(root), ['m']);
  });

  it('refuses to replace a folder albench did not write', async () => {
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'precious.txt'), 'keep me');
    await assert.rejects(convert({ source: fixture('bert-tiny-cls'), outDir: out }), IoError);
    assert.equal(fs.readFileSync(path.join(out, 'precious.txt'), 'utf8'), 'keep me');
  });
});

describe('convert: a graph that disagrees with the float64 reference', () => {
  it('fails convert, naming the output and the difference, and leaves no output folder', async () => {
    // Classifier weights 1e8 times larger put the logits near 1e7, where float32 values are about 1
    // apart: the float32 graph cannot match the float64 reference to 1e-4 there.
    const dir = copyCheckpoint('bert-tiny-cls');
    const tensors = readSafetensorsF32(path.join(dir, 'model.safetensors'));
    const classifier = tensors['classifier.weight'];
    assert.ok(classifier);
    classifier.data.forEach((v, i) => { classifier.data[i] = v * 1e8; });
    writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
    const root = tempDir();
    const out = path.join(root, 'm');
    await assert.rejects(convert({ source: { kind: 'checkpoint', dir }, outDir: out }), (e: unknown) => {
      assert.ok(e instanceof ValidationError, String(e));
      const said = /output logits differs from the float64 reference by (\S+) on the random inputs of shape \[\d, \d+\] \(tolerance 0\.0001\)/.exec(e.message);
      assert.ok(said, e.message);
      assert.ok(Number(said[1]) > 1e-4, e.message);
      assert.ok(e.message.startsWith(`${out}: `), e.message);
      return true;
    });
    assert.deepEqual(fs.readdirSync(root), [], 'no output folder and no temporaries');
  });
});

describe('convert: bad inputs give typed errors naming the file', () => {
  const rejects = async (dir: string, type: new (...a: never[]) => Error, pattern: RegExp) => {
    await assert.rejects(convert({ source: { kind: 'checkpoint', dir }, outDir: path.join(tempDir(), 'o') }), (e: unknown) => {
      assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
      assert.match((e as Error).message, pattern);
      return true;
    });
  };

  it('missing folder', () => rejects('/nonexistent/ckpt', CheckpointError, /not a folder/));
  it('hidden size not divisible by heads', () => rejects(copyCheckpoint('bert-tiny-cls', { num_attention_heads: 5 }), ConfigError, /config\.json.*not a multiple/));
  it('unknown model_type', () => rejects(copyCheckpoint('bert-tiny-cls', { model_type: 'gpt2' }), ConfigError, /model_type is "gpt2"/));
  it('absurd sizes are refused before allocating', () => rejects(copyCheckpoint('bert-tiny-cls', { vocab_size: 1e12 }), ConfigError, /vocab_size/));
  it('more groups than layers', () => rejects(copyCheckpoint('albert-tiny-groups', { num_hidden_groups: 9 }), ConfigError, /num_hidden_groups 9 is larger/));
  it('unsupported activation', () => rejects(copyCheckpoint('bert-tiny-cls', { hidden_act: 'mystery' }), UnsupportedError, /hidden_act "mystery"/));
  it('weights whose shapes contradict the config', () => rejects(copyCheckpoint('bert-tiny-cls', { intermediate_size: 256 }), CheckpointError, /model\.safetensors: tensor ".*intermediate\.dense\.weight" has shape \[128, 64\] but config\.json implies \[256, 64\]/));

  it('a missing weight', async () => {
    const dir = copyCheckpoint('bert-tiny-cls');
    const tensors = readSafetensorsF32(path.join(dir, 'model.safetensors'));
    delete tensors['bert.encoder.layer.1.output.dense.bias'];
    writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
    await rejects(dir, CheckpointError, /has no tensor "bert\.encoder\.layer\.1\.output\.dense\.bias"/);
  });

  it('NaN weights are refused unless allowed', async () => {
    const dir = copyCheckpoint('bert-tiny-cls');
    const tensors = readSafetensorsF32(path.join(dir, 'model.safetensors'));
    const t = tensors['bert.embeddings.word_embeddings.weight'];
    assert.ok(t);
    t.data[999 * 64] = NaN; // the last vocabulary row: validation inputs never use it
    writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
    await rejects(dir, CheckpointError, /word_embeddings\.weight" holds NaN.*--allow-nonfinite/);
    const record = await convert({ source: { kind: 'checkpoint', dir }, outDir: path.join(tempDir(), 'o'), allowNonFinite: true, validate: false });
    assert.equal(record.validation, null);
  });

  it('sequence-classification asked of an MLM checkpoint (no pooler)', () =>
    assert.rejects(convert({ source: fixture('bert-tiny-mlm'), outDir: path.join(tempDir(), 'o'), task: 'sequence-classification' }), UnsupportedError));

  it('an unsupported opset', () => assert.rejects(convert({ source: fixture('bert-tiny-cls'), outDir: path.join(tempDir(), 'o'), opset: 9 }), UsageError));
});

describe('convert: validation on real text', () => {
  it('uses the checkpoint tokenizer for a text case when the folder has one', async () => {
    const record = await convert({ source: { kind: 'checkpoint', dir: path.join(REPO_ROOT, 'models', 'bert-sst2-mini') }, outDir: path.join(tempDir(), 'm') });
    assert.deepEqual(record.validation?.cases.map((c) => c.inputs), ['random', 'random', 'text']);
    assert.ok((record.validation?.maxAbsDiff ?? 1) < 1e-4);
  });
});
