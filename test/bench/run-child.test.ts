import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PINNED_ALLOCATOR_ENV } from '../../src/bench/memory.js';
import { forkJob } from '../../src/bench/run-child.js';
import { tempDir } from '../helpers/paths.js';

describe('forkJob', () => {
  it("starts every measuring child with glibc's mmap threshold pinned, so a peak RSS does not depend on allocation history", async () => {
    const file = path.join(tempDir(), 'child.mjs');
    fs.writeFileSync(file, "process.send({ threshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null }, () => process.disconnect());\n");
    const reply = await forkJob<{ threshold: string | null }>(file, {});
    assert.deepEqual(reply, { threshold: PINNED_ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_ });
    assert.equal(PINNED_ALLOCATOR_ENV.MALLOC_MMAP_THRESHOLD_, String(128 * 1024), "glibc's own start-up value, so only its drift is removed");
  });
});
