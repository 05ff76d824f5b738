import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { verifyEntry } from '../../src/cache/verify.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/processes.js';

/** An entry of 16 files of 2 MB: hashing it takes long enough for another process to move it meanwhile. */
async function bigEntry(root: string, n: number): Promise<string> {
  const cache = new StepCache(root, { warn: () => undefined });
  const stored = await cache.store('convert', { n }, (dir) => {
    for (let i = 0; i < 16; i++) fs.writeFileSync(path.join(dir, `part-${i}.bin`), Buffer.alloc(2_000_000, i));
    return n;
  });
  return stored.dir;
}

describe('verifying an entry', () => {
  it('an entry moved away by another process while it is checked is no entry, never damage and never ENOENT', { timeout: 120_000 }, async (t) => {
    const root = tempDir();
    const outcomes: string[] = [];
    for (let n = 0; n < 4; n++) {
      const dir = await bigEntry(root, n);
      const go = path.join(tempDir(), 'go');
      // Another process sets the entry aside (as a run that found it damaged would) the moment it is told to.
      const mover = spawn(process.execPath, ['-e', `const fs = require('fs');
        const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(go)})) { clearInterval(t); fs.renameSync(${JSON.stringify(dir)}, ${JSON.stringify(`${dir}-aside`)}); } }, 1);
        fs.writeFileSync(${JSON.stringify(`${go}.ready`)}, '');`]);
      await waitFor(() => fs.existsSync(`${go}.ready`), 'the mover to start', 30_000);
      fs.writeFileSync(go, '');
      const checked = verifyEntry(dir);
      await new Promise((resolve) => mover.on('exit', resolve));
      assert.ok(checked === null || !('problem' in checked), `damage reported for an entry that was only moved: ${JSON.stringify(checked)}`);
      outcomes.push(checked === null ? 'moved while checked' : 'checked before it moved');
    }
    t.diagnostic(outcomes.join(', '));
  });

  it('a file missing from an entry still in place is damage, after a second look', async () => {
    const dir = await bigEntry(tempDir(), 0);
    fs.rmSync(path.join(dir, 'part-3.bin'));
    const checked = verifyEntry(dir);
    assert.ok(checked !== null && 'problem' in checked);
    assert.deepEqual([checked.problem, checked.missing], ['part-3.bin is missing', true]);
    assert.equal(verifyEntry(path.join(path.dirname(dir), 'f'.repeat(64))), null, 'no folder: no entry');
  });
});
