import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copySideFiles, copyTokenizerFiles, readRecord, writeRecord } from '../../src/model-folder/files.js';
import { tempDir } from '../helpers/paths.js';

function folderWith(...files: string[]): string {
  const dir = tempDir();
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), f);
  }
  return dir;
}

describe('side files', () => {
  it('a variant folder gets onnx/, config.json, the tokenizer files and the record, not the graphs', () => {
    const from = folderWith('config.json', 'albench.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx');
    const to = path.join(tempDir(), 'variant');
    copySideFiles(from, to);
    assert.deepEqual(fs.readdirSync(to).sort(), ['albench.json', 'config.json', 'onnx', 'tokenizer_config.json', 'vocab.txt']);
    assert.deepEqual(fs.readdirSync(path.join(to, 'onnx')), []);
    assert.equal(fs.readFileSync(path.join(to, 'vocab.txt'), 'utf8'), 'vocab.txt');
  });

  it('a converted folder gets only the tokenizer files of its checkpoint', () => {
    const from = folderWith('config.json', 'model.safetensors', 'spiece.model');
    const to = tempDir();
    copyTokenizerFiles(from, to);
    assert.deepEqual(fs.readdirSync(to), ['spiece.model']);
  });
});

describe('records', () => {
  it('reads back what it wrote; a missing or non-JSON record reads as null', () => {
    const dir = tempDir();
    const file = path.join(dir, 'albench.json');
    writeRecord(file, { format: 'albench-convert-v1', seconds: 1.5 });
    assert.deepEqual(readRecord(file), { format: 'albench-convert-v1', seconds: 1.5 });
    assert.ok(fs.readFileSync(file, 'utf8').endsWith('}\n'));
    assert.equal(readRecord(path.join(dir, 'absent.json')), null);
    fs.writeFileSync(file, 'not json');
    assert.equal(readRecord(file), null);
  });
});
