import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { OnnxModel } from '../../src/onnx/model.js';
import { readModelProto, writeModelYielding } from '../../src/onnx/serde.js';
import type { TensorSource } from '../../src/tensor.js';
import { tempDir } from '../helpers/paths.js';

/** One float32 initializer of `parts` chunks; each chunk records how many event-loop turns had run when it was asked for. */
function chunkedModel(parts: number, turns: () => number, seen: number[]): OnnxModel {
  const values = Float32Array.from({ length: parts * 4 }, (_, i) => i);
  const bytes = new Uint8Array(values.buffer);
  const tensor: TensorSource = {
    dtype: 'float32',
    shape: [parts, 4],
    bytes: () => {
      seen.push(turns());
      return bytes;
    },
    *chunks() {
      for (let p = 0; p < parts; p++) {
        seen.push(turns());
        yield bytes.slice(p * 16, (p + 1) * 16);
      }
    },
  };
  return {
    irVersion: 8, opsets: [{ domain: '', version: 14 }], producerName: 'test', producerVersion: '0', metadata: {},
    graph: {
      name: 'g', nodes: [{ opType: 'Identity', domain: '', name: 'id', inputs: ['w'], outputs: ['y'], attributes: {} }],
      inputs: [], outputs: [{ name: 'y', dtype: 'float32', dims: [parts, 4] }],
      initializers: [{ name: 'w', tensor }],
    },
  };
}

describe('writeModelYielding', () => {
  it('lets the event loop run between the chunks of one tensor, and writes the chunks in order', async () => {
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    const file = path.join(tempDir(), 'model.onnx');
    try {
      await writeModelYielding(chunkedModel(4, () => turns, seen), file);
    } finally {
      ticking = false;
    }
    assert.equal(seen.length, 4, 'the writer asked for the tensor in its 4 chunks');
    for (let i = 1; i < seen.length; i++) assert.ok((seen[i] ?? 0) > (seen[i - 1] ?? 0), `the event loop ran between chunks ${i - 1} and ${i}: ${seen.join(', ')}`);
    const written = readModelProto(file).graph?.initializer?.[0]?.rawData ?? new Uint8Array(0);
    assert.deepEqual(Array.from(new Float32Array(new Uint8Array(written).buffer)), Array.from({ length: 16 }, (_, i) => i));
  });
});
