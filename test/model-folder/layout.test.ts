import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MODEL_FILE_NAMES, MODEL_PATH, modelFileBeside, modelFilePath, modelRoot, recordFileFor } from '../../src/model-folder/layout.js';

describe('model folder layout', () => {
  it('names each variant as transformers.js names its dtype', () => {
    assert.deepEqual(MODEL_FILE_NAMES, {
      fp32: 'model.onnx',
      optimized: 'model_optimized.onnx',
      fp16: 'model_fp16.onnx',
      q8: 'model_quantized.onnx',
      uint8: 'model_uint8.onnx',
      int8: 'model_int8.onnx',
      q4: 'model_q4.onnx',
      auto: 'model_int8_auto.onnx',
    });
    assert.equal(new Set(Object.values(MODEL_FILE_NAMES)).size, Object.keys(MODEL_FILE_NAMES).length);
  });

  it('puts graphs under onnx/ and a variant beside the model it came from', () => {
    assert.equal(MODEL_PATH, path.join('onnx', 'model.onnx'));
    assert.equal(modelFilePath('q4'), path.join('onnx', 'model_q4.onnx'));
    assert.equal(modelFileBeside(path.join('m', 'onnx', 'model.onnx'), 'int8'), path.join('m', 'onnx', 'model_int8.onnx'));
  });

  it('finds config.json one level above onnx/, or beside a model elsewhere', () => {
    assert.equal(modelRoot(path.join('m', 'onnx', 'model.onnx')), 'm');
    assert.equal(modelRoot(path.join('m', 'model.onnx')), 'm');
  });

  it('records a variant beside its graph', () => {
    assert.equal(recordFileFor(path.join('m', 'onnx', 'model_q4.onnx')), path.join('m', 'onnx', 'model_q4.albench.json'));
  });
});
