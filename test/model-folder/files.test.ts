import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { copySideFiles, copyTokenizerFiles, readRecord, writeRecord } from '../../src/model-folder/files.js';
import { makeFifo } from '../helpers/hostile-files.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

/** Side files are checked before they are copied, so each holds what its name says: a real spiece.model, JSON objects. */
function contentOf(f: string): Buffer | string {
  if (f === 'spiece.model') return fs.readFileSync(path.join(REPO_ROOT, 'models', 'albert-sst2-mini', 'spiece.model'));
  return f.endsWith('.json') ? JSON.stringify({ name: f }) : f;
}

function folderWith(...files: string[]): string {
  const dir = tempDir();
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), contentOf(f));
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

  it('a variant folder is complete or refused: a source without config.json (gone, or being replaced) fails, and no entry is stored', async () => {
    const from = folderWith('albench.json', 'vocab.txt', 'tokenizer_config.json', 'onnx/model.onnx');
    assert.throws(() => copySideFiles(from, path.join(tempDir(), 'variant')), /config\.json: is missing; a variant is made only from a complete model folder/);
    const root = tempDir();
    const cache = new StepCache(root, { warn: () => undefined });
    await assert.rejects(cache.get('variant', { v: 1 }, (dir) => {
      copySideFiles(from, dir);
      fs.writeFileSync(path.join(dir, 'onnx', 'model.onnx'), 'graph');
      return 'onnx/model.onnx';
    }), /config\.json: is missing/);
    assert.deepEqual(fs.readdirSync(path.join(root, 'variant')), [], 'nothing stored, not even a temporary');
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

describe('hostile side files are refused, and nothing is written', () => {
  const hostile: ReadonlyArray<[string, (dir: string) => void, RegExp]> = [
    ['a link to a file outside the folder', (dir) => {
      const secret = path.join(tempDir(), 'token');
      fs.writeFileSync(secret, 'hf_secret_token');
      fs.symlinkSync(secret, path.join(dir, 'special_tokens_map.json'));
    }, /special_tokens_map\.json: is a link to .*token, which resolves to .*outside/],
    ['a link to /dev/zero', (dir) => fs.symlinkSync('/dev/zero', path.join(dir, 'vocab.txt')), /vocab\.txt: is a link to \/dev\/zero/],
    ['a tokenizer.json that is not a tokenizer', (dir) => fs.writeFileSync(path.join(dir, 'tokenizer.json'), '["not", "an", "object"]'),
      /must hold a JSON object/],
    ['added_tokens.json with a non-integer id', (dir) => fs.writeFileSync(path.join(dir, 'added_tokens.json'), '{"[X]": "1"}'), /integer ids/],
    ['vocab.txt that is not UTF-8', (dir) => fs.writeFileSync(path.join(dir, 'vocab.txt'), Uint8Array.from([0x61, 0x0a, 0xff, 0x0a])), /not valid UTF-8/],
    ['spiece.model that is not a SentencePiece model', (dir) => fs.writeFileSync(path.join(dir, 'spiece.model'), 'root:x:0:0::/root:/bin/bash\n'),
      /not a valid SentencePiece model/],
  ];
  for (const [what, make, message] of hostile) {
    it(what, { timeout: 5000 }, () => {
      const from = folderWith('config.json', 'tokenizer_config.json');
      make(from);
      const to = tempDir();
      assert.throws(() => copyTokenizerFiles(from, to), message);
      assert.deepEqual(fs.readdirSync(to), [], 'not even the valid files');
    });
  }

  it('a FIFO is refused without blocking', { timeout: 5000 }, (t) => {
    const from = folderWith('config.json');
    if (makeFifo(path.join(from, 'tokenizer_config.json')) === null) return t.skip('mkfifo is not available');
    assert.throws(() => copySideFiles(from, path.join(tempDir(), 'variant')), /FIFO/);
  });

  it('a record that is a link out of the folder, or a FIFO, reads as no record', { timeout: 5000 }, () => {
    const dir = tempDir();
    const outside = path.join(tempDir(), 'albench.json');
    fs.writeFileSync(outside, '{"format": "albench-convert-v1"}');
    fs.symlinkSync(outside, path.join(dir, 'albench.json'));
    assert.equal(readRecord(path.join(dir, 'albench.json')), null);
    if (makeFifo(path.join(dir, 'model.albench.json')) !== null) assert.equal(readRecord(path.join(dir, 'model.albench.json')), null);
  });
});
