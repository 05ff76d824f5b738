import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, it } from 'node:test';

describe('tempDir (test scratch folders)', () => {
  it('removes every folder it made when the test process exits, so a suite run leaves nothing in TMPDIR', () => {
    const helper = new URL('./paths.js', import.meta.url).href;
    const script = `import { tempDir } from ${JSON.stringify(helper)}; import fs from 'node:fs';
      const a = tempDir(); const b = tempDir('albench-other-'); fs.mkdirSync(a + '/deep/er', { recursive: true });
      fs.writeFileSync(b + '/file', 'x'); console.log(JSON.stringify([a, b]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const made = JSON.parse(r.stdout) as string[];
    assert.equal(made.length, 2);
    for (const dir of made) assert.equal(fs.existsSync(dir), false, `${dir} is still there after its process exited`);
  });
});
