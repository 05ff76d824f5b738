import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OnnxError, UsageError } from '../../src/errors.js';
import { assertOutputIsNotInput, modelBytes, resolveModelFile, resolveModelFileIn } from '../../src/model-folder/resolve-model-file.js';
import { tempDir } from '../helpers/paths.js';

function folderWith(...files: string[]): string {
  const dir = tempDir();
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  return dir;
}

describe('resolveModelFile', () => {
  it('a converted folder means its onnx/model.onnx, even with a model.onnx at its root', () => {
    const dir = folderWith('onnx/model.onnx', 'model.onnx');
    assert.equal(resolveModelFile(dir), path.join(dir, 'onnx', 'model.onnx'));
  });

  it('a folder with only a root model.onnx means that file', () => {
    const dir = folderWith('model.onnx');
    assert.equal(resolveModelFile(dir), path.join(dir, 'model.onnx'));
  });

  it('a file is taken as is', () => {
    const file = path.join(folderWith('onnx/model_q4.onnx'), 'onnx', 'model_q4.onnx');
    assert.equal(resolveModelFile(file), file);
  });

  it('a missing path or a folder without a model is an OnnxError naming it', () => {
    const missing = path.join(tempDir(), 'no-such-model');
    assert.throws(() => resolveModelFile(missing), (e: unknown) => e instanceof OnnxError && e.message.startsWith(`${missing}: no such file or folder`));
    const empty = folderWith('config.json');
    assert.throws(() => resolveModelFile(empty), (e: unknown) => e instanceof OnnxError && e.message.startsWith(`${empty}: has neither`));
  });
});

describe('modelBytes', () => {
  it('counts the external data file with the model', () => {
    const dir = tempDir();
    const file = path.join(dir, 'model.onnx');
    fs.writeFileSync(file, new Uint8Array(10));
    assert.equal(modelBytes(file), 10);
    fs.writeFileSync(`${file}_data`, new Uint8Array(32));
    assert.equal(modelBytes(file), 42);
  });
});

describe('assertOutputIsNotInput', () => {
  it('refuses an output that names the input, however it is spelled', () => {
    const input = path.join(tempDir(), 'onnx', 'model.onnx');
    const output = path.join(path.dirname(input), '..', 'onnx', 'model.onnx');
    assert.throws(() => assertOutputIsNotInput(input, output), (e: unknown) => e instanceof UsageError && /would overwrite the input/.test(e.message));
    assert.doesNotThrow(() => assertOutputIsNotInput(input, path.join(path.dirname(input), 'model_q4.onnx')));
  });
});

describe('resolveModelFileIn: a graph named relative to its model folder', () => {
  it('finds a name inside the folder, inside its onnx/, or as a path of its own, in that order', () => {
    const dir = folderWith('onnx/model_quantized.onnx', 'model_q4.onnx');
    assert.equal(resolveModelFileIn(dir, 'onnx/model_quantized.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    assert.equal(resolveModelFileIn(dir, 'model_quantized.onnx'), path.join(dir, 'onnx', 'model_quantized.onnx'));
    assert.equal(resolveModelFileIn(dir, 'model_q4.onnx'), path.join(dir, 'model_q4.onnx'));
    const elsewhere = path.join(folderWith('other.onnx'), 'other.onnx');
    assert.equal(resolveModelFileIn(dir, elsewhere), elsewhere);
    assert.equal(path.resolve(resolveModelFileIn(dir, path.relative(process.cwd(), elsewhere))), elsewhere);
  });

  it('a name found nowhere is an OnnxError listing where it looked', () => {
    const dir = folderWith('onnx/model.onnx');
    assert.throws(() => resolveModelFileIn(dir, 'model_int8.onnx'), (e: unknown) => e instanceof OnnxError
      && e.message.includes(path.join(dir, 'model_int8.onnx')) && e.message.includes(path.join(dir, 'onnx', 'model_int8.onnx')));
    assert.throws(() => resolveModelFileIn(dir, 'onnx'), OnnxError, 'a folder is not a graph');
  });
});
