import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { HeadName } from '../../src/arch/types.js';
import { inspect } from '../../src/inspect/inspect.js';
import { CHECKPOINTS, FIXTURES, FIXTURE_NAMES } from '../helpers/paths.js';

const CLASS_TO_TASK: Record<string, HeadName> = { Model: 'base', ForSequenceClassification: 'sequence-classification', ForMaskedLM: 'masked-lm' };

interface Counts { models: Record<string, Record<string, { parameters: number }>> }

describe('inspect: parameter counts equal what transformers instantiates', () => {
  const counts = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'param-counts.json'), 'utf8')) as Counts;
  for (const [config, classes] of Object.entries(counts.models)) {
    for (const [cls, expected] of Object.entries(classes)) {
      it(`${config} ${cls}: ${expected.parameters}`, () => {
        const suffix = cls.replace(/^(Bert|Albert)/, '');
        const task = CLASS_TO_TASK[suffix];
        assert.ok(task, `no task for ${cls}`);
        assert.equal(inspect(config, task).params.unique.total, expected.parameters);
      });
    }
  }

  const summary = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'generation-summary.json'), 'utf8')) as { checkpoints: Record<string, { parameters?: number; derived_from?: string }> };
  for (const name of FIXTURE_NAMES) {
    // The legacy-keys fixture holds bert-tiny-cls's tensors under old names, so it has its counts.
    const entry = summary.checkpoints[name];
    const expected = entry?.parameters ?? summary.checkpoints[entry?.derived_from ?? '']?.parameters;
    it(`checkpoint ${name}: ${expected}`, () => {
      assert.ok(expected !== undefined);
      assert.equal(inspect(path.join(CHECKPOINTS, name)).params.unique.total, expected);
    });
  }

  it('executed parameters count ALBERT layer sharing: groups x inner layers as transformers runs them', () => {
    const r = inspect(path.join(CHECKPOINTS, 'albert-tiny-groups'));
    const H = 64;
    const I = 128;
    const layer = 4 * (H * H + H) + 2 * (2 * H) + (H * I + I) + (I * H + H);
    // L=4, G=2, inner=2: 4 distinct layer blocks stored, 8 executed.
    assert.equal(r.params.unique.byComponent.encoder, 4 * layer + (32 * H + H));
    assert.equal(r.params.executed.byComponent.encoder, 8 * layer + (32 * H + H));
  });

  it('BERT executes each parameter once', () => {
    const r = inspect('bert-base-uncased', 'base');
    assert.equal(r.params.executed.total, r.params.unique.total);
  });

  it('reports bytes per dtype of the file, including the legacy int64 position_ids buffer', () => {
    const r = inspect(path.join(CHECKPOINTS, 'bert-tiny-cls-legacy-keys'));
    assert.equal(r.bytesByDtype['int64'], 128 * 8);
    assert.equal(r.bytesByDtype['float32'], 143_682 * 4);
  });
});
