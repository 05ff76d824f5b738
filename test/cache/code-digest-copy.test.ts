import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TEST_CODE_DIGEST_ENV } from '../../src/cache/code-digest.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const run = promisify(execFile);

/**
 * The code digest itself, not its test override: a copy of the built code (inside the repository,
 * so its imports still find node_modules; named as a temporary, which git ignores) runs compare
 * twice on one cache, then once more after one byte of one compiled file changed.
 */
describe('the code digest of the built code', () => {
  it('one byte changed in one compiled file makes the next compare find nothing in the cache', { timeout: 600_000 }, async () => {
    const copy = path.join(REPO_ROOT, `.dist-copy.tmp-${process.pid}-${Date.now()}`);
    try {
      fs.mkdirSync(copy);
      fs.cpSync(path.join(REPO_ROOT, 'dist', 'src'), path.join(copy, 'src'), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, 'dist', 'cli.js'), path.join(copy, 'cli.js'));
      const [cache, reports] = [tempDir(), tempDir()];
      const env = { ...process.env };
      delete env[TEST_CODE_DIGEST_ENV];
      delete env['ALBENCH_CACHE'];
      const compare = async (name: string): Promise<number> => {
        const args = ['compare', 'bert', '--variants', 'fp32', '--limit', '4', '--batch', '1', '--seq', '8', '--time', '20', '--quiet'];
        const { stdout } = await run(process.execPath, [path.join(copy, 'cli.js'), ...args, '--cache', cache, '--reports', reports, '--name', name], { env });
        const reused = /(\d+) cached step\(s\) reused/.exec(stdout)?.[1];
        assert.ok(reused !== undefined, stdout);
        return Number(reused);
      };
      assert.equal(await compare('cold'), 0);
      assert.equal(await compare('warm'), 3, 'the same code finds the conversion, the evaluation and the transformers.js check');
      const file = path.join(copy, 'src', 'cache', 'code-digest.js');
      const bytes = fs.readFileSync(file);
      const at = bytes.indexOf('A digest of albench');
      assert.ok(at > 0, 'the comment to change is in the compiled file');
      bytes[at] = 'a'.charCodeAt(0);
      fs.writeFileSync(file, bytes);
      assert.equal(await compare('edited'), 0, 'the edited code finds nothing');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
