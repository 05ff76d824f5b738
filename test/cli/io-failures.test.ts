import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { withoutProgress } from '../helpers/progress-lines.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const TINY = path.join(CHECKPOINTS, 'bert-tiny-cls');

interface Ran { readonly status: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }

function albench(cwd: string, ...args: string[]): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

/** One line, `error: ` and the message; no stack, no "please report it". */
function assertOneLine(r: Ran, status: number, message: RegExp): void {
  assert.equal(r.status, status, r.stderr);
  const lines = withoutProgress(r.stderr).trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] as string, /^error: /);
  assert.match(lines[0] as string, message);
  assert.doesNotMatch(r.stderr, /report it|\.tmp-|at .*\.js:\d+/);
}

describe('ordinary I/O failures end in one line naming the path', () => {
  let root = '';
  before(() => {
    root = tempDir();
    assert.equal(albench(root, 'convert', TINY, '-o', 'model').status, 0);
  });

  it('a file-size limit (ulimit -f): node ignores SIGXFSZ, so the write fails with EFBIG; exit 1, nothing written', () => {
    const dir = tempDir();
    // 64 KiB: config.json and the record fit, the 0.6 MB model.onnx does not.
    const r = spawnSync('bash', ['-c', `ulimit -f 64 && exec "${process.execPath}" "${CLI}" convert "${TINY}" -o out`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.signal, null, 'not killed by SIGXFSZ');
    assertOneLine({ status: r.status, signal: r.signal, stderr: r.stderr }, 1, /^error: out\/onnx\/model\.onnx: .*file-size limit .*\(ulimit -f\)/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('quantize -o <an existing folder>: refused before quantizing, the folder untouched', () => {
    fs.mkdirSync(path.join(root, 'folder'));
    fs.writeFileSync(path.join(root, 'folder', 'keep.txt'), 'mine');
    assertOneLine(albench(root, 'quantize', 'model', '-o', 'folder'), 1, /^error: folder: is a folder, where a file was expected; give a file path$/);
    assert.deepEqual(fs.readdirSync(path.join(root, 'folder')), ['keep.txt']);
    assert.deepEqual(fs.readdirSync(path.join(root, 'model', 'onnx')), ['model.onnx']);
  });

  it('eval --predictions into a missing folder: refused before evaluating, nothing made', () => {
    const r = albench(root, 'eval', 'model', '--task', 'sst2', '--limit', '4', '--predictions', path.join('missing', 'p.tsv'));
    assertOneLine(r, 1, /^error: missing\/p\.tsv: the folder missing does not exist; create it first$/);
    assert.equal(fs.existsSync(path.join(root, 'missing')), false);
  });

  it('eval --batch 0 and --max-length 0 are usage errors (exit 2)', () => {
    assertOneLine(albench(root, 'eval', 'model', '--task', 'sst2', '--batch', '0'), 2, /--batch must be a whole number >= 1/);
    assertOneLine(albench(root, 'eval', 'model', '--task', 'sst2', '--max-length', '0'), 2, /--max-length must be a whole number >= 1/);
  });

  // Whether `-o .` may replace the current folder is convert's output-folder rule; whatever it decides, a refusal is one line.
  it('convert -o . inside an albench output folder: a refusal is one line, the folder intact', () => {
    const model = path.join(root, 'model');
    const r = albench(model, 'convert', TINY, '-o', '.');
    if (r.status !== 0) assertOneLine(r, r.status as number, /^error: /);
    assert.ok(fs.existsSync(path.join(model, 'onnx', 'model.onnx')));
    assert.deepEqual(fs.readdirSync(model).filter((f) => f.includes('.tmp-')), []);
  });
});
