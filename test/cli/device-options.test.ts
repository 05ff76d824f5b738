import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceOptions } from '../../src/cli/options.js';
import { UsageError } from '../../src/errors.js';

describe('--device for compare: Node devices and browser devices', () => {
  it('keeps cpu, cuda and wasm in order as devices and takes browser-* apart, the first Node device deciding', () => {
    assert.deepEqual(deviceOptions('cpu'), { device: 'cpu', devices: ['cpu'] });
    assert.deepEqual(deviceOptions('wasm, cpu,browser-wasm'), { device: 'wasm', devices: ['wasm', 'cpu'], browserDevices: ['wasm'] });
    assert.deepEqual(deviceOptions('cpu,browser-webgpu,wasm,browser-wasm'),
      { device: 'cpu', devices: ['cpu', 'wasm'], browserDevices: ['webgpu', 'wasm'] });
  });

  it('refuses a browser device first, an unknown or repeated one, naming it', () => {
    assert.throws(() => deviceOptions('browser-wasm'), (e) => e instanceof UsageError && /put cpu, cuda, wasm first/.test(e.message));
    assert.throws(() => deviceOptions('cpu,browser-gpu'),
      (e) => e instanceof UsageError && /unknown browser-gpu; choose from cpu, cuda, wasm, browser-wasm, browser-webgpu/.test(e.message));
    assert.throws(() => deviceOptions('cpu,browser-wasm,browser-wasm'), (e) => e instanceof UsageError && /browser-wasm is given twice/.test(e.message));
    assert.throws(() => deviceOptions('cpu,gpu'), (e) => e instanceof UsageError && /unknown gpu/.test(e.message));
  });
});
