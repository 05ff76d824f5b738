import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readOnnxModel } from '../../src/onnx/from-proto.js';
import { writeModel } from '../../src/onnx/serde.js';
import { fuseAttention } from '../../src/optimize/fuse-attention.js';
import { memoryTensor } from '../../src/tensor.js';
import { maxAbsDiff, runAllOutputs } from '../helpers/optimize.js';
import { tempDir } from '../helpers/paths.js';
import { convertedFixture, encoderFeeds, modelFile } from '../helpers/quantize.js';

describe('optimize: blocks that do not match exactly are left alone', () => {
  it('a layer whose attention probabilities are also a graph output keeps its standard nodes; the other layer fuses', async () => {
    const plain = readOnnxModel(modelFile(await convertedFixture('bert-tiny-cls')));
    const [first] = plain.graph.nodes.filter((n) => n.opType === 'Softmax');
    const probs = first?.outputs[0] ?? '';
    const exposed = { ...plain, graph: { ...plain.graph, outputs: [...plain.graph.outputs, { name: probs, dtype: 'float32' as const, dims: ['batch_size', 4, 'sequence_length', 'sequence_length'] }] } };
    const fusion = fuseAttention(exposed);
    assert.equal(fusion.blocks.length, 1);
    assert.match(fusion.blocks[0]?.name ?? '', /layer\.1/);
    assert.equal(fusion.model.graph.nodes.filter((n) => n.opType === 'Softmax').length, 1);

    const dir = tempDir();
    const [before, after] = [path.join(dir, 'before.onnx'), path.join(dir, 'after.onnx')];
    writeModel(exposed, before);
    writeModel(fusion.model, after);
    const feeds = encoderFeeds(1000, 6, 16);
    const ref = await runAllOutputs(before, feeds);
    const got = await runAllOutputs(after, feeds);
    for (const [name, values] of ref) assert.ok(maxAbsDiff(values, got.get(name) ?? new Float32Array()) <= 1e-4, name);
  });

  it('a divisor other than sqrt(head size) is a different computation: nothing fuses', async () => {
    const plain = readOnnxModel(modelFile(await convertedFixture('bert-tiny-cls')));
    const nodes = plain.graph.nodes;
    const producer = (value: string) => nodes.find((n) => n.outputs.includes(value));
    // Softmax <- Add(scores, mask bias) <- Div(q k^T, sqrt(head size))
    const scaling = new Set(nodes.filter((n) => n.opType === 'Softmax').flatMap((s) => producer(s.inputs[0] ?? '')?.inputs ?? []).map(producer).filter((n) => n?.opType === 'Div'));
    assert.equal(scaling.size, 2);
    const model = {
      ...plain,
      graph: {
        ...plain.graph,
        nodes: nodes.map((n) => (scaling.has(n) ? { ...n, inputs: [n.inputs[0] ?? '', 'eight'] } : n)),
        initializers: [...plain.graph.initializers, { name: 'eight', tensor: memoryTensor('float32', [], Float32Array.of(8)) }],
      },
    };
    assert.equal(fuseAttention(model).blocks.length, 0);
  });
});
