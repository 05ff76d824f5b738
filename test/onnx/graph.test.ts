import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphIndex } from '../../src/onnx/graph.js';
import { attrFloat, attrInt, attrInts } from '../../src/onnx/graph-attributes.js';
import { FreshNames } from '../../src/onnx/graph-names.js';
import { ensureOpset } from '../../src/onnx/graph-ops.js';
import { attr, type OnnxModel, type OnnxNode } from '../../src/onnx/model.js';
import { memoryTensor } from '../../src/tensor.js';

const node = (opType: string, name: string, inputs: string[], outputs: string[], domain = '', attributes: OnnxNode['attributes'] = {}): OnnxNode =>
  ({ opType, domain, name, inputs, outputs, attributes });

const matmul = node('MatMul', 'mm', ['x', 'w'], ['xw']);
const add = node('Add', 'add', ['xw', 'b'], ['y']);
const contrib = node('Reshape', 'ms_reshape', ['y', 'shape'], ['z'], 'com.microsoft');
const model: OnnxModel = {
  irVersion: 8,
  opsets: [{ domain: '', version: 14 }],
  producerName: 'test',
  producerVersion: '0',
  metadata: {},
  graph: {
    name: 'g',
    nodes: [matmul, add, contrib],
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 2] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [1, 2] }, { name: 'z', dtype: 'float32', dims: null }],
    initializers: [
      { name: 'w', tensor: memoryTensor('float32', [2, 2], Float32Array.of(1, 2, 3, 4)) },
      { name: 'b', tensor: memoryTensor('float32', [1], Float32Array.of(0.5)) },
      { name: 'shape', tensor: memoryTensor('int64', [2], BigInt64Array.of(-1n, 2n)) },
    ],
  },
};

describe('GraphIndex', () => {
  const ix = new GraphIndex(model);

  it('walks edges both ways, standard-domain producers only', () => {
    assert.equal(ix.producer('y', 'Add'), add);
    assert.equal(ix.producer('y', 'Mul'), undefined);
    assert.equal(ix.producer('z', 'Reshape'), undefined);
    assert.deepEqual(ix.consumers('xw'), [add]);
    assert.deepEqual(ix.consumers('y'), [contrib]);
    assert.deepEqual(ix.consumers('nothing'), []);
    assert.equal(ix.isGraphOutput('y'), true);
    assert.equal(ix.isGraphOutput('xw'), false);
  });

  it('reads initializers as tensors, int64 lists and float scalars', () => {
    assert.deepEqual(ix.initializer('w')?.shape, [2, 2]);
    assert.equal(ix.initializer('x'), undefined);
    assert.deepEqual(ix.ints('shape'), [-1, 2]);
    assert.equal(ix.ints('w'), null);
    assert.equal(ix.scalar('b'), 0.5);
    assert.equal(ix.scalar('w'), null);
  });
});

describe('attribute readers', () => {
  const n = node('Gemm', 'g', [], [], '', { transB: attr.int(1), alpha: attr.float(0.5), perm: attr.ints([0, 2, 1]) });

  it('return the value of the asked kind, null when absent or of another kind', () => {
    assert.equal(attrInt(n, 'transB'), 1);
    assert.equal(attrFloat(n, 'alpha'), 0.5);
    assert.deepEqual(attrInts(n, 'perm'), [0, 2, 1]);
    assert.equal(attrInt(n, 'transA'), null);
    assert.equal(attrInt(n, 'alpha'), null);
    assert.equal(attrFloat(n, 'transB'), null);
    assert.equal(attrInts(n, 'transB'), null);
  });
});

describe('FreshNames and ensureOpset', () => {
  it('never hands out a name the graph or an earlier call uses', () => {
    const names = new FreshNames(model);
    assert.equal(names.fresh('w'), 'w_1');
    assert.equal(names.fresh('w'), 'w_2');
    assert.equal(names.fresh('mm'), 'mm_1');
    assert.equal(names.fresh('new'), 'new');
  });

  it('adds a domain once', () => {
    const once = ensureOpset(model.opsets, 'com.microsoft');
    assert.deepEqual(once, [{ domain: '', version: 14 }, { domain: 'com.microsoft', version: 1 }]);
    assert.equal(ensureOpset(once, 'com.microsoft'), once);
  });
});
