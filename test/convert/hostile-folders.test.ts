import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/convert.js';
import { AlbenchError, CheckpointError, ConfigError, IoError, UsageError } from '../../src/errors.js';
import { MODEL_PATH, RECORD_FILE } from '../../src/model-folder/layout.js';
import { copyCheckpoint } from '../helpers/checkpoint-copy.js';
import { makeFifo } from '../helpers/hostile-files.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';

/** bert-tiny-cls with the bundled BERT's tokenizer files, as a downloaded checkpoint has them. */
function checkpointWithTokenizer(): string {
  const dir = copyCheckpoint('bert-tiny-cls');
  for (const f of ['vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) {
    fs.copyFileSync(path.join(REPO_ROOT, 'models', 'bert-sst2-mini', f), path.join(dir, f));
  }
  return dir;
}

const source = (dir: string) => ({ kind: 'checkpoint' as const, dir });
const noValidation = (dir: string, outDir: string) => convert({ source: source(dir), outDir, validate: false });

describe('convert: files of the checkpoint folder that are links out of it, or not files', () => {
  it('a side file linked to a file elsewhere is refused, naming the link; nothing is written', async () => {
    const dir = checkpointWithTokenizer();
    const secret = path.join(tempDir(), 'hf-token');
    fs.writeFileSync(secret, 'hf_SECRET_never_copied');
    fs.rmSync(path.join(dir, 'special_tokens_map.json'));
    fs.symlinkSync(secret, path.join(dir, 'special_tokens_map.json'));
    const root = tempDir();
    await assert.rejects(noValidation(dir, path.join(root, 'out')), (e: unknown) => e instanceof ConfigError
      && e.message.includes(`${path.join(dir, 'special_tokens_map.json')}: is a link to ${secret}`) && !e.message.includes('SECRET'));
    assert.deepEqual(fs.readdirSync(root), [], 'no output folder, no temporary left');
  });

  it('vocab.txt linked to /dev/zero is refused at once', { timeout: 10_000 }, async () => {
    const dir = checkpointWithTokenizer();
    fs.rmSync(path.join(dir, 'vocab.txt'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'vocab.txt'));
    const rss = process.memoryUsage().rss;
    await assert.rejects(noValidation(dir, path.join(tempDir(), 'out')), /vocab\.txt: is a link to \/dev\/zero/);
    assert.ok(process.memoryUsage().rss - rss < 256 * 2 ** 20, 'no memory growth');
  });

  it('config.json as a FIFO is refused without blocking', { timeout: 10_000 }, async (t) => {
    const dir = copyCheckpoint('bert-tiny-cls');
    fs.rmSync(path.join(dir, 'config.json'));
    if (makeFifo(path.join(dir, 'config.json')) === null) return t.skip('mkfifo is not available');
    await assert.rejects(noValidation(dir, path.join(tempDir(), 'out')), (e: unknown) => e instanceof ConfigError && /FIFO/.test(e.message));
  });

  it('weights linked out of the folder, or to a device, are refused', async () => {
    const dir = copyCheckpoint('bert-tiny-cls');
    fs.rmSync(path.join(dir, 'model.safetensors'));
    fs.symlinkSync(path.join(CHECKPOINTS, 'bert-tiny-cls', 'model.safetensors'), path.join(dir, 'model.safetensors'));
    await assert.rejects(noValidation(dir, path.join(tempDir(), 'out')), (e: unknown) => e instanceof CheckpointError && /outside/.test(e.message));
    fs.rmSync(path.join(dir, 'model.safetensors'));
    fs.symlinkSync('/dev/null', path.join(dir, 'model.safetensors'));
    await assert.rejects(noValidation(dir, path.join(tempDir(), 'out')), /model\.safetensors: is a link to \/dev\/null/);
  });
});

describe('convert -o: an existing output is replaced only when it holds nothing but convert\'s own files', () => {
  it('replaces its own earlier output, with variants beside the graph', async () => {
    const out = path.join(tempDir(), 'm');
    await noValidation(path.join(CHECKPOINTS, 'bert-tiny-cls'), out);
    fs.writeFileSync(path.join(out, 'onnx', 'model_quantized.onnx'), 'q');
    fs.writeFileSync(path.join(out, 'onnx', 'model_quantized.albench.json'), '{}');
    await noValidation(path.join(CHECKPOINTS, 'bert-tiny-cls'), out);
    assert.ok(fs.existsSync(path.join(out, MODEL_PATH)));
  });

  it('a project folder that holds an albench.json among other files survives, and the message names them', async () => {
    const out = tempDir();
    fs.writeFileSync(path.join(out, RECORD_FILE), '{}');
    fs.writeFileSync(path.join(out, 'thesis.tex'), 'years of work');
    fs.mkdirSync(path.join(out, 'onnx'));
    fs.writeFileSync(path.join(out, 'onnx', 'notes.md'), 'mine');
    await assert.rejects(noValidation(path.join(CHECKPOINTS, 'bert-tiny-cls'), out),
      (e: unknown) => e instanceof IoError && /holds files albench did not write \(onnx\/notes\.md, thesis\.tex\)/.test(e.message));
    assert.deepEqual(fs.readdirSync(out).sort(), [RECORD_FILE, 'onnx', 'thesis.tex']);
    assert.equal(fs.readFileSync(path.join(out, 'thesis.tex'), 'utf8'), 'years of work');
    assert.equal(fs.readFileSync(path.join(out, 'onnx', 'notes.md'), 'utf8'), 'mine');
  });

  it('an output that is a symbolic link is refused; the link and its target stay as they were', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'target'));
    fs.symlinkSync('target', path.join(root, 'link'));
    await assert.rejects(noValidation(path.join(CHECKPOINTS, 'bert-tiny-cls'), path.join(root, 'link')),
      (e: unknown) => e instanceof IoError && /link is a symbolic link \(to target\); albench does not write through links/.test(e.message));
    assert.ok(fs.lstatSync(path.join(root, 'link')).isSymbolicLink());
    assert.deepEqual(fs.readdirSync(path.join(root, 'target')), []);
  });

  it('-o . and -o .. are refused: they would replace the current folder', async () => {
    const cwd = process.cwd();
    const here = tempDir();
    fs.mkdirSync(path.join(here, 'sub'));
    fs.writeFileSync(path.join(here, 'sub', 'keep.txt'), 'keep');
    process.chdir(path.join(here, 'sub'));
    try {
      for (const out of ['.', '..', './']) {
        await assert.rejects(noValidation(path.join(CHECKPOINTS, 'bert-tiny-cls'), out),
          (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /is the current folder/.test(e.message), out);
      }
    } finally {
      process.chdir(cwd);
    }
    assert.deepEqual(fs.readdirSync(path.join(here, 'sub')), ['keep.txt']);
  });

  it('an output path that is a file is refused', async () => {
    const file = path.join(tempDir(), 'out');
    fs.writeFileSync(file, 'x');
    await assert.rejects(noValidation(path.join(CHECKPOINTS, 'bert-tiny-cls'), file),
      (e: unknown) => e instanceof AlbenchError && /is not a folder/.test(e.message));
    assert.equal(fs.readFileSync(file, 'utf8'), 'x');
  });
});
