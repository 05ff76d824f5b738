import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { knownConfig } from '../../src/arch/known.js';
import { FIXTURES, REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const inspectCli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'inspect', ...args], { encoding: 'utf8' });

interface Counts { models: Record<string, Record<string, { parameters: number }>> }
const counts = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'param-counts.json'), 'utf8')) as Counts;

/** The published config written where a user would have it: a folder holding config.json and nothing else. */
function configOnlyFolder(name: string): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(knownConfig(name).json, null, 2));
  return dir;
}

describe('inspect from a config alone', () => {
  for (const [name, cls] of [['albert-base-v2', 'AlbertForSequenceClassification'], ['bert-base-uncased', 'BertForSequenceClassification']] as const) {
    it(`${name}: a folder with only config.json and the config.json path print what the known name prints`, () => {
      const dir = configOnlyFolder(name);
      const known = inspectCli(name, '--task', 'sequence-classification');
      assert.equal(known.status, 0, known.stderr);
      for (const target of [dir, path.join(dir, 'config.json')]) {
        const r = inspectCli(target, '--task', 'sequence-classification');
        assert.equal(r.status, 0, r.stderr);
        // Only the first word, the target as given, differs.
        assert.equal(r.stdout.replace(`${target}:`, `${name}:`), known.stdout);
      }
      const json = JSON.parse(inspectCli(dir, '--task', 'sequence-classification', '--json').stdout) as { params: { unique: { total: number } } };
      // transformers' count for the same config (test/fixtures/param-counts.json), not ours.
      assert.equal(json.params.unique.total, counts.models[name]?.[cls]?.parameters);
    });
  }

  it('a folder with neither config.json nor weights still says what it needs', () => {
    const r = inspectCli(tempDir());
    assert.equal(r.status, 1);
    assert.match(r.stderr, /config\.json/);
  });
});
