// Removes the compiled package code before `npm run build:package`, so a module deleted or moved
// in src/ leaves no stale file in dist/src to be packed. dist/test and dist/benchmarks are the test
// build's and are left alone.
import fs from 'node:fs';

for (const target of ['dist/src', 'dist/cli.js', 'dist/cli.d.ts', 'dist/cli.js.map']) {
  fs.rmSync(new URL(`../${target}`, import.meta.url), { recursive: true, force: true });
}
