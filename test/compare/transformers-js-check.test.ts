import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkTransformersJs } from '../../src/compare/transformers-js-check.js';
import type { TimedVariant } from '../../src/compare/variant-record.js';
import { findGlueTask } from '../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/paths.js';

/** Only what the check reads of a timed variant: its folder, its file and albench's predictions. */
function variantIn(dir: string, file: string): TimedVariant {
  const counts = { total: 0, byComponent: { embeddings: 0, encoder: 0, pooler: 0, head: 0 } };
  return {
    id: 'm/fp32', model: 'm', variant: 'fp32', state: 'timed', files: { dir, modelFile: path.join(dir, 'onnx', file) }, params: { unique: counts, executed: counts },
    metrics: [], predictions: { rows: [0, 1], labels: [0, 1] }, gold: { rows: [0, 1], labels: [0, 1] }, variantKey: {},
    timing: { latency: [], memory: { peakRssAfterLoadBytes: 0, peakRssAfterRunsBytes: 0 } }, latencyByDevice: [], fileSha256: '',
  };
}

const inputs = { task: findGlueTask('sst2'), dataDir: BUNDLED_GLUE_DIR };

describe('checkTransformersJs', () => {
  it('says "not installed" when @huggingface/transformers cannot be imported', async () => {
    const missing = async () => {
      throw Object.assign(new Error("Cannot find package '@huggingface/transformers'"), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    const check = await checkTransformersJs(variantIn(tempDir(), 'model.onnx'), { ...inputs, importer: missing });
    assert.equal(check?.state, 'not installed');
    assert.match(check?.error ?? '', /Cannot find package/);
  });

  it('says "fails", with the error and what it tried to load, when transformers.js cannot load the folder', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'onnx'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', id2label: { 0: 'negative', 1: 'positive' } }));
    const check = await checkTransformersJs(variantIn(dir, 'model_int8_auto.onnx'), inputs);
    assert.equal(check?.state, 'fails');
    assert.equal(check?.file, 'model_int8_auto.onnx', 'a graph without a dtype name is loaded by its file name');
    assert.equal(check?.dtype, undefined);
    assert.ok((check?.error ?? '').length > 0);
  });

  it('is not run for regression tasks: there is no label to agree on', async () => {
    assert.equal(await checkTransformersJs(variantIn(tempDir(), 'model.onnx'), { ...inputs, task: findGlueTask('stsb') }), null);
  });
});
