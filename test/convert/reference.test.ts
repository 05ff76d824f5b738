import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MODEL_SPECS } from '../../src/arch/registry.js';
import { openCheckpoint } from '../../src/checkpoint/load.js';
import { referenceForwardAll } from '../../src/convert/reference.js';
import { randomValidationInputs } from '../../src/convert/validation-inputs.js';
import { Weights } from '../../src/convert/weights.js';
import { CheckpointError } from '../../src/errors.js';
import type { TensorSource } from '../../src/tensor.js';
import { CHECKPOINTS } from '../helpers/paths.js';

describe('reference forward pass', () => {
  // Seconds of arithmetic on a base-size model: a Ctrl-C during validation is handled only when the event loop runs.
  it('lets the event loop run during every layer', async () => {
    const ckpt = openCheckpoint(path.join(CHECKPOINTS, 'bert-tiny-mlm'));
    try {
      const spec = MODEL_SPECS[ckpt.config.modelType];
      const weights = new Weights(ckpt.stateDict, spec);
      const [inputs] = randomValidationInputs(ckpt.config);
      assert.ok(inputs !== undefined);
      let ticks = 0;
      let running = true;
      const tick = () => {
        ticks += 1;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      const [out] = await referenceForwardAll(weights, ckpt.config, spec.layout(ckpt.config), 'masked-lm', [inputs]);
      running = false;
      assert.ok(out !== undefined && 'logits' in out);
      assert.ok(ticks >= ckpt.config.numHiddenLayers, `the event loop ran ${ticks} times over ${ckpt.config.numHiddenLayers} layers`);
    } finally {
      ckpt.stateDict.close();
    }
  });

  it('stops its worker threads when the pass fails', async () => {
    const ckpt = openCheckpoint(path.join(CHECKPOINTS, 'bert-tiny-mlm'));
    try {
      const spec = MODEL_SPECS[ckpt.config.modelType];
      const layout = spec.layout(ckpt.config);
      const [inputs] = randomValidationInputs(ckpt.config);
      assert.ok(inputs !== undefined);
      const threads = () => fs.readdirSync('/proc/self/task').length;
      // One pass first, so threads Node starts once and keeps (its platform's) are there before counting.
      await referenceForwardAll(new Weights(ckpt.stateDict, spec), ckpt.config, layout, 'masked-lm', [inputs]);
      const before = threads();
      // The second layer's intermediate weight cannot be read: the pass fails half-way, with its workers busy.
      const unreadable: TensorSource = { dtype: 'float32', shape: [0], bytes: () => { throw new CheckpointError('test', 'unreadable'); } };
      const tensors = new Map([...ckpt.stateDict.tensors].map(([k, t]) => [k, /layer\.1\.intermediate\.dense\.weight$/.test(k) ? { ...unreadable, shape: t.shape } : t]));
      const broken = new Weights({ ...ckpt.stateDict, tensors }, spec);
      await assert.rejects(referenceForwardAll(broken, ckpt.config, layout, 'masked-lm', [inputs]), /unreadable/);
      const deadline = Date.now() + 10_000;
      while (threads() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(threads() <= before, `${threads()} threads after the failed pass, ${before} before it`);
    } finally {
      ckpt.stateDict.close();
    }
  });

  it('gives each case of a stacked pass exactly what a pass of that case alone gives, for every head', async () => {
    for (const [name, head] of [['bert-tiny-mlm', 'masked-lm'], ['bert-tiny-cls', 'sequence-classification'], ['albert-tiny-cls', 'base']] as const) {
      const ckpt = openCheckpoint(path.join(CHECKPOINTS, name));
      try {
        const spec = MODEL_SPECS[ckpt.config.modelType];
        const weights = new Weights(ckpt.stateDict, spec);
        const layout = spec.layout(ckpt.config);
        const cases = randomValidationInputs(ckpt.config);
        const stacked = await referenceForwardAll(weights, ckpt.config, layout, head, cases);
        for (const [i, c] of cases.entries()) {
          const [alone] = await referenceForwardAll(weights, ckpt.config, layout, head, [c]);
          assert.deepEqual(stacked[i], alone, `${name} (${head}), case ${i + 1}`);
        }
      } finally {
        ckpt.stateDict.close();
      }
    }
  });
});
