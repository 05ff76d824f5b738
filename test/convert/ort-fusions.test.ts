import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { readModelProto } from '../../src/onnx/serde.js';
import { CHECKPOINTS, tempDir } from '../helpers/paths.js';

/** Which operators onnxruntime runs after its own graph optimisations, read back from optimizedModelFilePath. */
async function optimizedOps(modelFile: string): Promise<Map<string, number>> {
  const optimized = path.join(tempDir(), 'optimized.onnx');
  const session = await ort.InferenceSession.create(modelFile, { graphOptimizationLevel: 'extended', optimizedModelFilePath: optimized });
  await session.release();
  const ops = new Map<string, number>();
  for (const n of readModelProto(optimized).graph?.node ?? []) ops.set(n.opType ?? '', (ops.get(n.opType ?? '') ?? 0) + 1);
  return ops;
}

/**
 * onnxruntime fuses Add+LayerNormalization only when shape inference knows both operands'
 * shapes; these tests keep the converter's graph in a form where that holds.
 */
describe('onnxruntime fuses the converted graph at load', () => {
  for (const [name, gelu] of [['bert-tiny-cls', 'BiasGelu'], ['albert-tiny-cls', 'FastGelu']] as const) {
    it(`${name}: SkipLayerNormalization on the embeddings and every residual, ${gelu} on every FFN`, async () => {
      const out = path.join(tempDir(), 'm');
      const record = await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, name) }, outDir: out, validate: false });
      const layers = record.params.executed.byComponent.encoder > record.params.unique.byComponent.encoder ? 3 : 2;
      const ops = await optimizedOps(path.join(out, MODEL_PATH));
      assert.equal(ops.get('SkipLayerNormalization'), 2 * layers + 1, JSON.stringify([...ops]));
      assert.equal(ops.get(gelu), layers);
      assert.equal(ops.get('LayerNormalization'), undefined, 'no LayerNormalization left unfused');
    });
  }
});
