// Runs the compiled test files (*.test.js) under dist/test, or under the folders or files given,
// and nothing else: `node --test dist/test/` would also run every helper module below a folder
// named test (fixtures builders, fuzz targets) and count each as a passing test.
// dist/test/browser (headless Chromium) runs only when named itself (or a file in it): `npm test` works
// without a browser, `npm run test:browser` runs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const BROWSER_TESTS = path.resolve('dist', 'test', 'browser');

function testFiles(entry) {
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return fs.readdirSync(entry, { withFileTypes: true }).flatMap((d) => {
    const child = path.join(entry, d.name);
    if (d.isDirectory()) return path.resolve(child) === BROWSER_TESTS ? [] : testFiles(child);
    return d.name.endsWith('.test.js') ? [child] : [];
  });
}

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['dist/test'];
const missing = roots.filter((root) => !fs.existsSync(root));
if (missing.length > 0) {
  console.error(`run-tests: ${missing.join(', ')} not found; run \`npm run build\` first`);
  process.exit(2);
}
const files = roots.flatMap(testFiles).sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.js files under ${roots.join(', ')}`);
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
