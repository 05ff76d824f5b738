import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';

/** docs/architecture.md and the README's Layout section are the map of src/: every home must be on both. */
const SRC = path.join(REPO_ROOT, 'src');
const folders = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

function layoutSection(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Layout');
  assert.ok(start >= 0, 'README.md has a "## Layout" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the map of src/', () => {
  const architecture = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
  const layout = layoutSection();
  const homes = folders(SRC).map((f) => `src/${f}`);
  const reportHomes = folders(path.join(SRC, 'report'));

  it('docs/architecture.md names every home under src/ and every home inside src/report', () => {
    assert.deepEqual(homes.filter((h) => !architecture.includes(h)), []);
    assert.deepEqual(reportHomes.filter((h) => !architecture.includes(`src/report/${h}`) && !architecture.includes(`\`${h}\``)), []);
  });

  it('the README\'s Layout section names every home under src/ and every home inside src/report', () => {
    assert.deepEqual(homes.filter((h) => !layout.includes(`\`${h}`)), []);
    assert.deepEqual(reportHomes.filter((h) => !layout.includes(`\`${h}\``)), []);
  });
});
