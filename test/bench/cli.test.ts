import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cudaStatus } from '../../src/bench/providers.js';
import type { BenchReport } from '../../src/bench/schema.js';
import { convert } from '../../src/convert/convert.js';
import { CHECKPOINTS, REPO_ROOT, tempDir } from '../helpers/paths.js';
import { withoutProgress } from '../helpers/progress-lines.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('albench bench and doctor (CLI)', () => {
  const model = path.join(tempDir(), 'bert-tiny-cls');
  before(async () => {
    await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, 'bert-tiny-cls') }, outDir: model, validate: false });
  });

  it('prints the table and writes the JSON result, exit 0', () => {
    const json = path.join(tempDir(), 'result.json');
    const r = run('bench', model, '--batch', '2', '--seq', '8', '--iterations', '3', '--warmup', '1', '--threads', '1', '--json', json);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bert-tiny-cls\s+2\s+8\s+\d/m);
    assert.match(r.stdout, /fused ops: .*x\d/);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchReport;
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.models[0]?.points[0]?.state, 'completed');
  });

  it('a model path that does not exist: exit 1, one line naming the path', () => {
    const missing = path.join(tempDir(), 'no-such-model');
    const r = run('bench', missing, '--iterations', '1');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `error: ${missing}: no such file or folder; give a folder written by \`albench convert\` (with onnx/model.onnx) or an .onnx file\n`);
  });

  it('a file that is not ONNX: exit 1, naming the file and what onnxruntime said', () => {
    const bogus = path.join(tempDir(), 'model.onnx');
    fs.writeFileSync(bogus, 'not a model');
    const r = run('bench', bogus, '--iterations', '1');
    assert.equal(r.status, 1);
    assert.match(withoutProgress(r.stderr), new RegExp(`^error: ${bogus.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: onnxruntime cannot load it: .+\n$`));
  });

  it('a bad grid value: exit 2, naming the flag and the value', () => {
    for (const [flag, value] of [['--batch', '1,x'], ['--batch', '0'], ['--seq', '128,-4']] as const) {
      const r = run('bench', model, flag, value);
      assert.equal(r.status, 2, `${flag} ${value}`);
      assert.match(r.stderr, new RegExp(`^error: ${flag}: ".*" is not an integer from 1 to \\d+`));
    }
    const tooLong = run('bench', model, '--seq', '4096');
    assert.equal(tooLong.status, 2);
    assert.match(tooLong.stderr, /--seq 4096 is longer than bert-tiny-cls can take \(max_position_embeddings 128\)/);
  });

  it('bad usage: exit 2', () => {
    assert.equal(run('bench', model, '--iterations', '5', '--time', '100').status, 2, '--iterations with --time');
    assert.equal(run('bench', '--config', 'bert-base-uncased').status, 2, '--config without --random-weights');
    assert.equal(run('bench', '--config', 'gpt-9').status, 2, 'unknown config');
    assert.equal(run('bench', model, '--device', 'tpu').status, 2);
    assert.equal(run('bench').status, 2, 'no model');
  });

  it('--device cuda without CUDA: exit 1, a message naming CUDA and how to install it, no CPU fallback', async (t) => {
    if ((await cudaStatus()).missingLibraries.length === 0) return t.skip('the CUDA provider libraries are installed here');
    const r = run('bench', model, '--device', 'cuda', '--iterations', '1');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '', 'nothing was measured');
    assert.match(r.stderr, /^error: CUDA is not available: .*libonnxruntime_providers_cuda\.so.*ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node.*\n$/);
  });

  it('doctor lists providers, CUDA libraries, GPUs and CPU flags', () => {
    const r = run('doctor');
    assert.equal(r.status, 0, r.stderr);
    for (const line of ['onnxruntime-node:', 'execution providers:   cpu', 'CUDA provider libs:', 'GPUs:', 'CPU flags:             AVX2']) assert.ok(r.stdout.includes(line), line);
    const json = JSON.parse(run('doctor', '--json').stdout) as { executionProviders: Array<{ name: string }> };
    assert.ok(json.executionProviders.some((p) => p.name === 'cpu'));
  });
});
