import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import type { HeadName } from '../../src/arch/types.js';
import { readGolden, maxAbsDiff, type GoldenCase } from '../helpers/golden.js';
import { CHECKPOINTS, FIXTURE_NAMES, tempDir } from '../helpers/paths.js';

const TOLERANCE = 1e-4;

async function runCase(modelFile: string, c: GoldenCase): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(modelFile);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(c.inputs)) feeds[name] = new ort.Tensor('int64', BigInt64Array.from(t.data.map(BigInt)), t.shape);
  const out = await session.run(feeds);
  await session.release();
  return out;
}

/**
 * Golden outputs come from transformers itself. Head models are checked twice: the head's
 * logits, and the encoder (converted with --task base) against last_hidden_state/pooler_output.
 */
for (const format of ['safetensors', 'bin'] as const) {
  describe(`convert ${format} checkpoints and match transformers' golden outputs`, () => {
    for (const name of FIXTURE_NAMES) {
      const golden = readGolden(name);
      const tasks: HeadName[] = golden.architecture.endsWith('Model') ? ['base'] : [golden.architecture.endsWith('MaskedLM') ? 'masked-lm' : 'sequence-classification', 'base'];
      for (const task of tasks) {
        it(`${name} (${task})`, async () => {
          const out = path.join(tempDir(), 'model');
          const record = await convert({ source: { kind: 'checkpoint', dir: path.join(CHECKPOINTS, name), prefer: format }, outDir: out, task });
          assert.equal(record.validation?.passed, true);
          const outputs = task === 'base' ? ['last_hidden_state', 'pooler_output'] : ['logits'];
          let compared = 0;
          for (const c of golden.cases) {
            const got = await runCase(path.join(out, MODEL_PATH), c);
            for (const o of outputs) {
              const expected = c.outputs[o];
              if (expected === undefined) continue; // MLM encoders have no pooler
              const actual = got[o];
              assert.ok(actual, `output ${o} missing`);
              assert.deepEqual(actual.dims, expected.shape, `${o} shape in case ${c.name}`);
              const diff = maxAbsDiff(actual.data as Float32Array, expected.data);
              assert.ok(diff <= TOLERANCE, `${o} case ${c.name}: max |diff| ${diff} > ${TOLERANCE}`);
              compared++;
            }
          }
          assert.ok(compared >= golden.cases.length, 'every case compared at least one output');
        });
      }
    }
  });
}
