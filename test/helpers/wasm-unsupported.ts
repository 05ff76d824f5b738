import fs from 'node:fs';
import path from 'node:path';
import type { PreparedVariant } from '../../src/compare/variant-record.js';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { writeModel } from '../../src/onnx/serde.js';

/** An operator onnxruntime-node's CPU provider has and onnxruntime-web's WebAssembly build lacks (the x86 NCHWc layout ops). */
export const WASM_LACKS = 'com.microsoft.nchwc:ReorderInput';

/**
 * A graph bench can feed (input_ids [batch, sequence]) whose one real op is ReorderInput: it runs
 * on CPU and does not load in onnxruntime-web ("is not a registered function/op").
 */
export function writeWasmUnsupportedModel(dir: string): string {
  const g = new GraphBuilder(17);
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const asFloat = g.op1('Cast', [ids], { to: { kind: 'int', value: 1 } });
  const nchw = g.op1('Unsqueeze', [asFloat, g.constant('int64', [2], [2, 3])]);
  g.output(g.op1('ReorderInput', [nchw], {}, { domain: 'com.microsoft.nchwc' }), 'logits', 'float32', ['batch', 'channels', 1, 1]);
  const file = path.join(dir, 'nchwc.onnx');
  writeModel(g.build('wasm-unsupported', {}, 'albench-test'), file);
  return file;
}

/** That graph as compare's time phase receives a variant: prepared, with nothing evaluated. */
export function wasmUnsupportedVariant(root: string): PreparedVariant {
  const dir = path.join(root, 'variant');
  fs.mkdirSync(dir, { recursive: true });
  const modelFile = writeWasmUnsupportedModel(dir);
  const counts = { total: 0, byComponent: { embeddings: 0, encoder: 0, pooler: 0, head: 0 } };
  return {
    id: 'nchwc/fp32', model: 'nchwc', variant: 'fp32', state: 'prepared', files: { dir, modelFile }, params: { unique: counts, executed: counts },
    metrics: [], predictions: { rows: [], labels: [] }, gold: { rows: [], labels: [] }, variantKey: { test: 'nchwc' },
  };
}
