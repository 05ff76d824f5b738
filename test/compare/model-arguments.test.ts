import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compare } from '../../src/compare/compare.js';
import { describeSource, modelLabels, relabelPaths } from '../../src/compare/model-arguments.js';
import { formatCompareSummary } from '../../src/compare/summary.js';
import { BUNDLED_GLUE_DIR, BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { readReport } from '../../src/report/read-report.js';
import { tempDir } from '../helpers/paths.js';

function folders(root: string, ...names: string[]): string[] {
  return names.map((n) => {
    const dir = path.join(root, n);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  });
}

describe('model labels', () => {
  it('a bundled name and a hub id as typed, a folder by its base name', () => {
    const [ckpt] = folders(tempDir(), 'x/ckpt');
    assert.deepEqual(modelLabels(['bert', 'org/name@v1.0', ckpt as string, 'textattack/bert-base']), ['bert', 'org/name@v1.0', 'ckpt', 'textattack/bert-base']);
  });

  it('two folders of the same base name take their parents; a folder named like a bundled model too; the same folder twice gets #2', () => {
    const root = tempDir();
    const [a, b, bert] = folders(root, 'a/bert-base', 'b/bert-base', 'mine/bert') as [string, string, string];
    assert.deepEqual(modelLabels([a, b]), ['a/bert-base', 'b/bert-base']);
    assert.deepEqual(modelLabels(['bert', bert]), ['bert', 'mine/bert']);
    assert.deepEqual(modelLabels([a, a]), ['bert-base', 'bert-base#2']);
    const [deep1, deep2] = folders(root, 'p/same/m', 'q/same/m') as [string, string];
    assert.deepEqual(modelLabels([deep1, deep2]), ['p/same/m', 'q/same/m']);
  });

  it('a folder source is its label unless full paths are asked for', () => {
    const dir = folders(tempDir(), 'ckpt')[0] as string;
    assert.equal(describeSource({ kind: 'folder', dir }, 'ckpt', false), 'folder: ckpt');
    assert.equal(describeSource({ kind: 'folder', dir }, 'ckpt', true), path.resolve(dir));
  });

  it('messages name folders by label, the longest folder first', () => {
    const names = [['/home/me/ckpt', 'ckpt'], ['/home/me/ckpt/sub', 'ckpt (converted)']] as const;
    assert.equal(relabelPaths('/home/me/ckpt/sub/onnx/model.onnx: bad; /home/me/ckpt/config.json', names), 'ckpt (converted)/onnx/model.onnx: bad; ckpt/config.json');
  });
});

describe('compare: labels in every format', () => {
  it('two folders of the same base name are a/<name> and b/<name>; no absolute path in md, html, csv or the summary', async () => {
    const models = tempDir('albench-labels-models-');
    const work = tempDir('albench-labels-work-');
    const [a, b] = folders(models, 'a/mini', 'b/mini') as [string, string];
    for (const dir of [a, b]) fs.cpSync(path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini'), dir, { recursive: true });
    // An existing folder with no checkpoint in it: compare refuses a missing path before any work, this one fails as it runs.
    const missing = path.join(models, 'c', 'gone');
    fs.mkdirSync(missing, { recursive: true });
    const r = await compare({
      models: [a, b, missing], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 16 },
      batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
      constraints: {}, reportsDir: path.join(work, 'reports'), name: 'labels', cacheDir: path.join(work, 'cache'),
    });
    const report = readReport(path.join(r.reportDir, 'report.json'));
    assert.deepEqual(report.models.map((m) => [m.id, m.source]), [['a/mini', 'folder: a/mini'], ['b/mini', 'folder: b/mini']]);
    assert.deepEqual(report.variants.map((v) => `${v.id}:${v.state}`), [
      'a/mini/fp32:completed', 'a/mini/int8-dynamic:completed', 'b/mini/fp32:completed', 'b/mini/int8-dynamic:completed',
      'gone/fp32:failed', 'gone/int8-dynamic:failed',
    ]);
    const failed = report.variants[4];
    assert.ok(failed?.state === 'failed' && /^gone[/:]/.test(failed.error.message) && !failed.error.message.includes(models), JSON.stringify(failed));
    const int8 = report.variants[1];
    assert.ok(int8?.state === 'completed' && int8.recipe?.includes('embedding tables int8'));
    assert.ok(r.steps.some((s) => s.step === 'a/mini: converting' && s.seconds >= 0), JSON.stringify(r.steps.map((s) => s.step)));
    const outputs = {
      md: fs.readFileSync(path.join(r.reportDir, 'report.md'), 'utf8'),
      html: fs.readFileSync(path.join(r.reportDir, 'report.html'), 'utf8'),
      csv: fs.readFileSync(path.join(r.reportDir, 'report.csv'), 'utf8'),
      json: fs.readFileSync(path.join(r.reportDir, 'report.json'), 'utf8'),
      summary: formatCompareSummary(r),
    };
    for (const [format, text] of Object.entries(outputs)) {
      assert.equal(text.includes(models), false, `${format} holds the models' folder ${models}`);
      assert.equal(text.includes(work), format === 'summary', `${format}: only the summary says where the reports are`);
    }
    assert.match(outputs.md, /### a\/mini — bert/);
    assert.match(outputs.md, /\*\*int8-dynamic\*\*: attention fused/);
    assert.match(outputs.html, /<li><strong>int8-dynamic<\/strong>: attention fused/);
  });
});
