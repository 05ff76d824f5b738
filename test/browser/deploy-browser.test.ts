import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { browserBench } from '../../src/browser/browser-bench.js';
import { compare, type CompareResult } from '../../src/compare/compare.js';
import { deploy } from '../../src/deploy/deploy.js';
import { deploymentProblem } from '../../src/deploy/manifest-schema.js';
import { DEPLOYMENT_FILE, type DeploymentManifest } from '../../src/deploy/manifest-types.js';
import { EVAL_MAX_LENGTH } from '../../src/eval/evaluate.js';
import { argmax, mapLabels } from '../../src/eval/labels.js';
import { readGlueSplit } from '../../src/glue/read-split.js';
import { findGlueTask } from '../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { sha256FileSync } from '../../src/util/sha256.js';
import { tempDir } from '../helpers/paths.js';

/** The slice of transformers.js the test drives, typed here as src/compare/transformers-js-check.ts types it. */
interface TransformersJs {
  readonly env: { allowRemoteModels: boolean; localModelPath: string };
  readonly AutoTokenizer: { from_pretrained(id: string): Promise<(text: string, o: Record<string, unknown>) => Promise<Record<string, unknown>>> };
  readonly AutoModelForSequenceClassification: {
    from_pretrained(id: string, o: Record<string, unknown>): Promise<{
      (inputs: Record<string, unknown>): Promise<{ logits: { data: ArrayLike<number> } }>; dispose(): Promise<unknown>;
    }>;
  };
}
const PACKAGE = '@huggingface/transformers';

describe('albench deploy --target browser on a report timed in Chromium (compare --device cpu,browser-wasm)', () => {
  const root = tempDir();
  const cacheDir = path.join(root, 'cache');
  let result: CompareResult;

  before(async () => {
    result = await compare({
      models: ['bert'], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 16 },
      batchSizes: [1], sequenceLengths: [16], device: 'cpu', devices: ['cpu'], browserDevices: ['wasm'],
      threads: 1, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 },
      constraints: {}, reportsDir: path.join(root, 'reports'), name: 'deploy-browser', cacheDir,
    });
  });

  it('writes the Hugging Face layout that transformers.js loads, predicting what the report predicted on its rows', async () => {
    const out = path.join(root, 'site', 'model');
    const manifest = await deploy({ reportFile: path.join(result.reportDir, 'report.json'), target: 'browser', outDir: out, cacheDir });
    const written = JSON.parse(fs.readFileSync(path.join(out, DEPLOYMENT_FILE), 'utf8')) as DeploymentManifest;
    assert.equal(deploymentProblem(written), null);
    assert.equal(manifest.device, 'browser-wasm');
    assert.match(manifest.variant.file, /^onnx\/model(_quantized)?\.onnx$/);
    assert.equal(sha256FileSync(path.join(out, manifest.variant.file)), manifest.variant.fileSha256);
    const chosen = result.report.variants.find((v) => v.id === manifest.variant.id);
    assert.ok(chosen?.state === 'completed' && chosen.predictions?.labels !== undefined);
    const task = findGlueTask('sst2');
    assert.ok(task.kind === 'classification');
    const tjs = (await import(PACKAGE)) as TransformersJs;
    tjs.env.allowRemoteModels = false;
    tjs.env.localModelPath = `${path.dirname(out)}${path.sep}`;
    const tokenizer = await tjs.AutoTokenizer.from_pretrained('model');
    const model = await tjs.AutoModelForSequenceClassification.from_pretrained('model', { ...manifest.session.transformersJs });
    const data = readGlueSplit(task, 'dev', BUNDLED_GLUE_DIR);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { id2label: Record<string, string> };
    const { taskClassOf } = mapLabels(config.id2label, task, 'config.json');
    const labels: number[] = [];
    try {
      for (const row of chosen.predictions.rows) {
        const encoded = await tokenizer(data.textA[row] ?? '', { truncation: true, max_length: EVAL_MAX_LENGTH });
        labels.push(taskClassOf[argmax((await model(encoded)).logits.data)] ?? -1);
      }
    } finally {
      await model.dispose();
    }
    assert.deepEqual(labels, chosen.predictions.labels);
  });

  it("loads and runs in albench's headless-Chromium page from the deployed folder alone, with the manifest's thread count", async () => {
    const out = path.join(root, 'page-site', 'model');
    const manifest = await deploy({ reportFile: path.join(result.reportDir, 'report.json'), target: 'browser', outDir: out, cacheDir });
    const copy = path.join(root, 'page-copy');
    fs.cpSync(out, copy, { recursive: true });
    fs.rmSync(out, { recursive: true });
    const report = await browserBench({
      models: [{ path: path.join(copy, manifest.variant.file), label: 'deployed' }], device: 'wasm', batchSizes: [1], sequenceLengths: [16],
      threads: manifest.session.intraOpThreads, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 },
    });
    const [m] = report.models;
    assert.equal(m?.state, 'measured', JSON.stringify(m));
    if (m?.state !== 'measured') return;
    assert.equal(m.points[0]?.state, 'completed', JSON.stringify(m.points[0]));
    assert.equal(m.wasmThreads, manifest.session.intraOpThreads);
  });
});
