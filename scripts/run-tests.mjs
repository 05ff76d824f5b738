// Runs the compiled test files (*.test.js) under dist/test, or under the folders or files given,
// and nothing else: `node --test dist/test/` would also run every helper module below a folder
// named test (fixtures builders, fuzz targets) and count each as a passing test.
// dist/test/browser (headless Chromium) runs only when named itself (or a file in it): `npm test` works
// without a browser, `npm run test:browser` runs it.
// A green run must mean the tests ran: it fails, naming the file, when a test file ran no test,
// and when a test was skipped or todo without an entry (file, test, reason) in test/skips.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BROWSER_TESTS = path.resolve('dist', 'test', 'browser');
const SKIPS_FILE = 'test/skips.json';
const CENSUS_REPORTER = new URL('./test-census.mjs', import.meta.url).href;

function testFiles(entry) {
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return fs.readdirSync(entry, { withFileTypes: true }).flatMap((d) => {
    const child = path.join(entry, d.name);
    if (d.isDirectory()) return path.resolve(child) === BROWSER_TESTS ? [] : testFiles(child);
    return d.name.endsWith('.test.js') ? [child] : [];
  });
}

function refuse(message) {
  console.error(`run-tests: ${message}`);
  process.exit(2);
}

/** The skips and todos a run may report, each with why: [{ "file", "test", "reason" }]; none without the file. */
function readSkips() {
  if (!fs.existsSync(SKIPS_FILE)) return [];
  let entries;
  try {
    entries = JSON.parse(fs.readFileSync(SKIPS_FILE, 'utf8'));
  } catch (e) {
    refuse(`${SKIPS_FILE}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(entries)) refuse(`${SKIPS_FILE}: expected a list of { "file", "test", "reason" } entries`);
  entries.forEach((entry, i) => {
    const complete = ['file', 'test', 'reason'].every((k) => typeof entry?.[k] === 'string' && entry[k].trim() !== '');
    if (!complete) refuse(`${SKIPS_FILE}: entry ${i + 1} needs "file", "test" and "reason" (non-empty strings)`);
  });
  return entries;
}

/** How test/skips.json names a compiled file: by its source, test/x.test.ts for dist/test/x.test.js. */
function sourceName(file) {
  if (file === null) return '(a file node:test did not name)';
  const relative = path.relative(process.cwd(), file).split(path.sep).join('/');
  return relative.startsWith('dist/') ? relative.slice('dist/'.length).replace(/\.js$/, '.ts') : relative;
}

/** What the census (scripts/test-census.mjs) shows that a passing summary would hide. */
function unguarded(files, census, skips) {
  const counts = new Map(files.map((f) => [path.resolve(f), 0]));
  for (const t of census) if (!t.suite && t.file !== null) counts.set(t.file, (counts.get(t.file) ?? 0) + 1);
  const problems = [...counts].filter(([, n]) => n === 0)
    .map(([file]) => `${path.relative(process.cwd(), file)}: 0 tests ran; a test file that runs none checks nothing`);
  for (const t of census) {
    for (const [kind, said] of [['skip', 'skipped'], ['todo', 'todo']]) {
      if (t[kind] === null || t[kind] === false) continue;
      const file = sourceName(t.file);
      if (skips.some((s) => s.file === file && s.test === t.name)) continue;
      const reason = typeof t[kind] === 'string' ? ` (${t[kind]})` : '';
      problems.push(`${file}: "${t.name}" was ${said}${reason} without an entry in ${SKIPS_FILE}; add { "file", "test", "reason" } or make it run`);
    }
  }
  return problems;
}

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['dist/test'];
const missing = roots.filter((root) => !fs.existsSync(root));
if (missing.length > 0) refuse(`${missing.join(', ')} not found; run \`npm run build\` first`);
const files = roots.flatMap(testFiles).sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.js files under ${roots.join(', ')}`);
  process.exit(1);
}
const skips = readSkips();
const censusDir = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-test-census-'));
const censusFile = path.join(censusDir, 'census.jsonl');
let problems;
let status;
try {
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${CENSUS_REPORTER}`, `--test-reporter-destination=${censusFile}`];
  status = spawnSync(process.execPath, ['--test', ...reporters, ...files], { stdio: 'inherit' }).status ?? 1;
  const lines = fs.existsSync(censusFile) ? fs.readFileSync(censusFile, 'utf8').split('\n').filter((l) => l !== '') : [];
  problems = unguarded(files, lines.map((l) => JSON.parse(l)), skips);
} finally {
  fs.rmSync(censusDir, { recursive: true, force: true });
}
for (const p of problems) console.error(`run-tests: ${p}`);
process.exit(status !== 0 ? status : problems.length > 0 ? 1 : 0);
