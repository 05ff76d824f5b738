import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { browserColdStarts } from '../../src/browser/cold-start.js';
import { convert } from '../../src/convert/convert.js';
import { MODEL_PATH } from '../../src/model-folder/layout.js';
import { BUNDLED_MODELS_DIR } from '../../src/paths.js';
import { silentProgress } from '../../src/util/progress.js';
import { tempDir } from '../helpers/paths.js';

describe('cold start in headless Chromium (browser-wasm)', () => {
  it('opens a fresh page per run; the median run\'s parts (open page, fetch, session, first run) sum to its total', async () => {
    const out = path.join(tempDir(), 'bert');
    await convert({ source: { kind: 'checkpoint', dir: path.join(BUNDLED_MODELS_DIR, 'bert-sst2-mini') }, outDir: out, validate: false });
    const [start] = await browserColdStarts({
      models: [{ path: path.join(out, MODEL_PATH), label: 'bert' }], device: 'wasm', threads: 1, runs: 3,
      point: { batchSize: 1, sequenceLength: 16 }, progress: silentProgress,
    });
    assert.ok(start?.state === 'measured', JSON.stringify(start));
    assert.deepEqual(start.parts.map((p) => p.part), ['open-page', 'read-file', 'create-session', 'first-run']);
    assert.ok(start.parts.every((p) => p.ms > 0));
    assert.ok(Math.abs(start.parts.reduce((sum, p) => sum + p.ms, 0) - start.totalMs) < 1e-6);
    assert.equal(start.runTotalsMs.length, 3);
    assert.equal(start.totalMs, [...start.runTotalsMs].sort((a, b) => a - b)[1]);
  });
});
