import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KNOWN_CONFIGS } from '../../src/arch/known-configs.js';
import { FIXTURES } from '../helpers/paths.js';

/** The built-in configs against the hub config.json files in test/fixtures/configs (see its README). */
describe('known configs', () => {
  const folder = path.join(FIXTURES, 'configs');
  const fixtureNames = fs.readdirSync(folder).sort();

  it('are exactly the configs in test/fixtures/configs, no more and no fewer', () => {
    assert.deepEqual(Object.keys(KNOWN_CONFIGS).sort(), fixtureNames);
  });

  for (const name of fixtureNames) {
    it(`${name} equals its published config.json field for field`, () => {
      const published = JSON.parse(fs.readFileSync(path.join(folder, name, 'config.json'), 'utf8')) as unknown;
      assert.deepEqual(KNOWN_CONFIGS[name], published);
    });
  }
});
