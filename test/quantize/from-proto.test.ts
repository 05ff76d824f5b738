import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OnnxError } from '../../src/errors.js';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { writeModel } from '../../src/onnx/serde.js';
import { memoryTensor } from '../../src/tensor.js';
import { agreement, convertedFixture, encoderFeeds, modelFile, runFirstOutput } from '../helpers/quantize.js';
import { tempDir } from '../helpers/paths.js';

const isOnnxError = (pattern: RegExp, file: string) => (e: unknown) => e instanceof OnnxError && e.message.startsWith(file) && pattern.test(e.message) && !e.message.includes('\n');

describe('readOnnxModel', () => {
  it('round-trips a converted model: same nodes and initializers, identical outputs in onnxruntime', async () => {
    const dir = await convertedFixture('albert-tiny-cls');
    const model = readOnnxModel(modelFile(dir));
    const out = path.join(tempDir(), 'copy.onnx');
    writeModel(model, out);
    const again = readOnnxModel(out);
    assert.equal(again.graph.nodes.length, model.graph.nodes.length);
    assert.deepEqual(again.graph.initializers.map((i) => i.name), model.graph.initializers.map((i) => i.name));
    assert.deepEqual(again.metadata, model.metadata);
    const feeds = encoderFeeds(1000);
    const a = agreement((await runFirstOutput(modelFile(dir), feeds)).data, (await runFirstOutput(out, feeds)).data, 3);
    assert.equal(a.maxAbsDiff, 0);
  });

  it('reads external tensor data', async () => {
    const dir = await convertedFixture('bert-tiny-cls');
    const out = path.join(tempDir(), 'ext.onnx');
    writeModel(readOnnxModel(modelFile(dir)), out, { externalDataThreshold: 1024 });
    assert.ok(fs.existsSync(`${out}_data`));
    const a = readOnnxModel(modelFile(dir)).graph.initializers;
    const b = readOnnxModel(out).graph.initializers;
    a.forEach((init, i) => assert.deepEqual(b[i]?.tensor.bytes(), init.tensor.bytes(), init.name));
  });

  it('refuses a file that is not ONNX, a truncated one, and a graph that is not an encoder', async () => {
    const tmp = tempDir();
    const junk = path.join(tmp, 'junk.onnx');
    fs.writeFileSync(junk, 'this is not protobuf at all');
    assert.throws(() => readOnnxModel(junk), isOnnxError(/not a valid ONNX model/, junk));

    const whole = fs.readFileSync(modelFile(await convertedFixture('bert-tiny-cls')));
    const truncated = path.join(tmp, 'truncated.onnx');
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    assert.throws(() => readOnnxModel(truncated), isOnnxError(/truncated/, truncated));

    const g = new GraphBuilder(17);
    const x = g.input('pixel_values', 'float32', [1, 4]);
    g.output(g.op1('MatMul', [x, g.initializer('w', memoryTensor('float32', [4, 2], new Float32Array(8)))]), 'y', 'float32', [1, 2]);
    const other = path.join(tmp, 'other.onnx');
    writeModel(g.build('other', {}, 'test'), other);
    assert.throws(() => readOnnxModel(other), isOnnxError(/not a BERT\/ALBERT encoder graph/, other));

    const missing = path.join(tmp, 'missing.onnx');
    assert.throws(() => readOnnxModel(missing), isOnnxError(/cannot be read/, missing));
  });
});
