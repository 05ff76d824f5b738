import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { attr } from '../../src/onnx/model.js';
import { DEFAULT_OPTIONS, type QuantizeOptions } from '../../src/quantize/options.js';
import { quantizeGraph } from '../../src/quantize/quantize-graph.js';
import { memoryTensor } from '../../src/tensor.js';
import { forThisCpu } from '../helpers/int8-kernels.js';
import { maxAbsDiff, randomValues, runY, singleOpModel, weight } from './rule-graphs.js';

const K = 64;
const N = 48;
const ROWS = 5;
const xFeed = () => ({ x: new ort.Tensor('float32', randomValues(ROWS * K, 11), [ROWS, K]) });
const opts = (o: Partial<QuantizeOptions>): QuantizeOptions => ({ ...DEFAULT_OPTIONS, ...forThisCpu(o) });
const opTypes = (nodes: ReadonlyArray<{ opType: string }>) => nodes.map((n) => n.opType);

/**
 * |x| <= 1 and |w| <= 1 over K = 64 terms: an int8 product stays within ~0.1, a 4-bit one within ~0.6; 7-bit weights (where
 * this CPU's u8s8 kernels need them, int8-kernels.ts) have half int8's resolution, so twice its bound.
 */
const BOUND = { 8: 0.1, 7: 0.2, 4: 0.6 } as const;
/** The bound for weights of `bits` as quantized with `o` on this CPU. */
const boundFor = (o: Partial<QuantizeOptions>, bits: 8 | 4) => BOUND[forThisCpu(o).reduceRange === true ? 7 : bits];

const FORMS: ReadonlyArray<{ name: string; o: Partial<QuantizeOptions>; ops: string[]; bits: 8 | 4 }> = [
  { name: 'dynamic qoperator', o: {}, ops: ['DynamicQuantizeMatMul'], bits: 8 },
  { name: 'dynamic qdq', o: { format: 'qdq' }, ops: ['DynamicQuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'MatMul', 'Add'], bits: 8 },
  { name: 'per-channel uint8', o: { perChannel: true, weightType: 'uint8' }, ops: ['DynamicQuantizeMatMul'], bits: 8 },
  { name: '4-bit blocks', o: { bits: 4, blockSize: 16 }, ops: ['Reshape', 'MatMulNBits'], bits: 4 },
];

describe('rule: MatMul (+ bias Add)', () => {
  const model = singleOpModel(K, (g, x) => g.op1('Add', [g.op1('MatMul', [x, weight(g, 'w', [K, N], 1)]), g.initializer('b', memoryTensor('float32', [N], randomValues(N, 2)))]), ['rows', N]);
  for (const f of FORMS) {
    it(`${f.name}: ${f.ops.join(' + ')}, output close to fp32`, async () => {
      const q = quantizeGraph(model, opts(f.o), 'test.onnx');
      assert.deepEqual(opTypes(q.model.graph.nodes), f.ops);
      assert.equal(q.model.graph.initializers.some((i) => i.name === 'w'), false);
      const d = maxAbsDiff(await runY(model, xFeed()), await runY(q.model, xFeed()));
      assert.ok(d < boundFor(f.o, f.bits), `max diff ${d}`);
    });
  }

  it('static ranges: the input gets a fixed QuantizeLinear/DequantizeLinear pair; an input without a range stays float', async () => {
    const ranges = new Map([['x', { min: -1, max: 1 }]]);
    const q = quantizeGraph(model, opts({ activations: { kind: 'static', ranges } }), 'test.onnx');
    assert.deepEqual(opTypes(q.model.graph.nodes), ['QuantizeLinear', 'DequantizeLinear', 'DequantizeLinear', 'MatMul', 'Add']);
    const d = maxAbsDiff(await runY(model, xFeed()), await runY(q.model, xFeed()));
    assert.ok(d < boundFor({ activations: { kind: 'static', ranges } }, 8), `max diff ${d}`);
    assert.deepEqual(quantizeGraph(model, opts({ activations: { kind: 'static', ranges: new Map() } }), 'test.onnx').quantized, []);
  });

  it('activation x activation MatMuls (attention scores) are left alone', () => {
    const m = singleOpModel(K, (g, x) => g.op1('MatMul', [x, g.op1('Transpose', [x])]), ['rows', 'rows']);
    assert.deepEqual(quantizeGraph(m, DEFAULT_OPTIONS, 'test.onnx').quantized, []);
  });

  it('an input read by several quantized MatMuls is quantized once (query, key, value)', () => {
    const m = singleOpModel(K, (g, x) => g.op1('Add', [g.op1('MatMul', [x, weight(g, 'q', [K, N], 3)]), g.op1('MatMul', [x, weight(g, 'k', [K, N], 4)])]), ['rows', N]);
    assert.deepEqual(opTypes(quantizeGraph(m, DEFAULT_OPTIONS, 'test.onnx').model.graph.nodes), ['DynamicQuantizeLinear', 'MatMulIntegerToFloat', 'MatMulIntegerToFloat', 'Add']);
  });
});

describe('rule: Gemm (transB, bias)', () => {
  const model = singleOpModel(K, (g, x) => g.op1('Gemm', [x, weight(g, 'w', [N, K], 5), g.initializer('b', memoryTensor('float32', [N], randomValues(N, 6)))], { transB: attr.int(1) }), ['rows', N]);
  for (const f of FORMS) {
    it(`${f.name}: output close to fp32`, async () => {
      const q = quantizeGraph(model, opts(f.o), 'test.onnx');
      assert.equal(q.quantized.length, 1);
      const d = maxAbsDiff(await runY(model, xFeed()), await runY(q.model, xFeed()));
      assert.ok(d < boundFor(f.o, f.bits), `max diff ${d}`);
    });
  }

  it('alpha != 1 or transA is not a plain linear layer and passes through', () => {
    const m = singleOpModel(K, (g, x) => g.op1('Gemm', [x, weight(g, 'w', [N, K], 5)], { transB: attr.int(1), alpha: attr.float(2) }), ['rows', N]);
    assert.deepEqual(quantizeGraph(m, DEFAULT_OPTIONS, 'test.onnx').quantized, []);
  });
});

describe('rule: Gather (embeddings)', () => {
  const V = 100;
  const E = 32;
  const g = new GraphBuilder(17);
  const ids = g.input('ids', 'int64', ['batch', 'seq']);
  g.output(g.op1('Gather', [g.initializer('table', memoryTensor('float32', [V, E], randomValues(V * E, 7))), ids]), 'y', 'float32', ['batch', 'seq', E]);
  const model = g.build('gather', {}, 'test');
  const feeds = () => ({ ids: new ort.Tensor('int64', BigInt64Array.from([0, 5, 99, 42, 7, 7], BigInt), [2, 3]) });

  it('untouched unless --embeddings', () => {
    assert.deepEqual(quantizeGraph(model, DEFAULT_OPTIONS, 'test.onnx').quantized, []);
  });

  for (const [name, o, ops, bound] of [
    ['int8', { embeddings: true }, ['Gather', 'DequantizeLinear'], 1 / 127],
    ['4-bit', { embeddings: true, bits: 4, blockSize: 16 }, ['GatherBlockQuantized'], 2 / 15],
  ] as const) {
    it(`${name}: ${ops.join(' + ')}, rows within half a quantization step`, async () => {
      const q = quantizeGraph(model, opts(o), 'test.onnx');
      assert.deepEqual(opTypes(q.model.graph.nodes), ops);
      const d = maxAbsDiff(await runY(model, feeds()), await runY(q.model, feeds()));
      assert.ok(d <= bound / 2 + 1e-6, `max diff ${d}`);
    });
  }
});
