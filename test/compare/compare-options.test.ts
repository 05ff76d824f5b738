import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPARE_DEFAULTS, realInputTimeMs } from '../../src/compare/compare-options.js';

describe('compare options', () => {
  it("real inputs keep their 750 ms pass under the default precision rule, whatever its cap, and follow --time", () => {
    assert.ok(COMPARE_DEFAULTS.stop.precision !== undefined, 'the default is a precision rule');
    assert.equal(realInputTimeMs(COMPARE_DEFAULTS.stop), 750);
    assert.equal(realInputTimeMs({ ...COMPARE_DEFAULTS.stop, precision: { medianWithinPercent: 1, maxTimeMs: 10 } }), 750);
    assert.equal(realInputTimeMs({ minIterations: 30, minTimeMs: 100 }), 100);
    assert.equal(realInputTimeMs({ minIterations: 30, minTimeMs: 2000 }), 2000);
  });
});
