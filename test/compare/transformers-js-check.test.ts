import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { checkAllInTransformersJs, checkTransformersJs } from '../../src/compare/transformers-js-check.js';
import type { TimedVariant } from '../../src/compare/variant-record.js';
import { findGlueTask } from '../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { silentProgress } from '../../src/util/progress.js';
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

/** A transformers.js stand-in that predicts class 1 for every row and counts the models it loads. */
function fakeTransformersJs() {
  const loads = { count: 0 };
  const tjs = {
    env: { allowRemoteModels: true, localModelPath: '' },
    AutoTokenizer: { from_pretrained: async () => async () => ({}) },
    AutoModelForSequenceClassification: {
      from_pretrained: async () => {
        loads.count++;
        return Object.assign(async () => ({ logits: { data: [0, 1] } }), { dispose: async () => undefined });
      },
    },
  };
  return { loads, importer: async () => tjs };
}

function folderWithConfig(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'onnx'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', id2label: { 0: 'negative', 1: 'positive' } }));
  return dir;
}

describe('checkAllInTransformersJs through the step cache', () => {
  it('takes a verdict on the same folder, rows and labels from the cache, marked reused, and checks again when the labels differ', async () => {
    const dir = folderWithConfig();
    const cache = new StepCache(path.join(tempDir(), 'cache'), { warn: () => undefined });
    const { loads, importer } = fakeTransformersJs();
    const agreeing: TimedVariant = { ...variantIn(dir, 'model.onnx'), predictions: { rows: [0, 1], labels: [1, 1] } };
    const run = async (v: TimedVariant) => (await checkAllInTransformersJs([v], { ...inputs, importer, cache, dataHash: 'd' }, silentProgress))[0];
    const first = await run(agreeing);
    assert.equal(first?.state === 'timed' ? first.transformersJs?.state : '', 'agrees');
    assert.equal(first?.state === 'timed' ? first.transformersJs?.reused : '', undefined, 'checked now: not marked reused');
    const second = await run(agreeing);
    assert.equal(loads.count, 1, 'the second run loads nothing');
    assert.deepEqual(second?.state === 'timed' ? second.transformersJs : null, { ...(first?.state === 'timed' ? first.transformersJs : {}), reused: true });
    const other = await run({ ...agreeing, predictions: { rows: [0, 1], labels: [1, 0] } });
    assert.equal(loads.count, 2, 'other labels are another key');
    assert.equal(other?.state === 'timed' ? other.transformersJs?.state : '', 'disagrees');
  });

  it('does not store a failure: the next run tries again', async () => {
    const cache = new StepCache(path.join(tempDir(), 'cache'), { warn: () => undefined });
    const v = variantIn(folderWithConfig(), 'model_int8_auto.onnx');
    for (let i = 0; i < 2; i++) {
      const [out] = await checkAllInTransformersJs([v], { ...inputs, cache, dataHash: 'd' }, silentProgress);
      assert.equal(out?.state === 'timed' ? out.transformersJs?.state : '', 'fails');
      assert.equal(out?.state === 'timed' ? out.transformersJs?.reused : '', undefined);
    }
  });
});
