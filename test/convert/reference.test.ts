import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MODEL_SPECS } from '../../src/arch/registry.js';
import { openCheckpoint } from '../../src/checkpoint/load.js';
import { referenceForward } from '../../src/convert/reference.js';
import { randomValidationInputs } from '../../src/convert/validation-inputs.js';
import { Weights } from '../../src/convert/weights.js';
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
      const out = await referenceForward(weights, ckpt.config, spec.layout(ckpt.config), 'masked-lm', inputs);
      running = false;
      assert.ok('logits' in out);
      assert.ok(ticks >= ckpt.config.numHiddenLayers, `the event loop ran ${ticks} times over ${ckpt.config.numHiddenLayers} layers`);
    } finally {
      ckpt.stateDict.close();
    }
  });
});
