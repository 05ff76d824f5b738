import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { exampleProject, readmeLibraryExample, typecheck } from './example-project.js';
import { userEnv } from './user-env.js';

/**
 * The package as a user gets it: `npm pack` of the built repository, installed into an empty folder
 * with the README's command (the tarball standing in for the registry name; offline flags because
 * the npm cache is warm after `npm ci`), then the README's main command run there; and the same
 * main command through `npx --package`, with no install first. Everything runs on the node running
 * this test (user-env.ts), so each Node line's `npm test` (.ci/run) tests the package on that line.
 */
const INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=skip npm install';
const OFFLINE_FLAGS = '--prefer-offline --no-audit --no-fund';
const MAIN_JOB = 'albench compare bert albert --limit 50 --time 100 --warmup 1';
const REPORT_FILES = ['report.json', 'report.md', 'report.html', 'report.csv'];

/** albench's optional peer dependencies and their ranges: a default install leaves them out. */
const PEERS = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> })
  .peerDependencies;
const installCommand = (name: string) => `npm install ${name}@${PEERS[name] ?? '?'}`;

interface PackedFile { readonly path: string; readonly size: number }
interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: PackedFile[];
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = userEnv()): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The folders npx installed `tarball` into (under the npm cache's _npx), found by the package list npx records there. */
function npxInstallsOf(tarball: string): string[] {
  const cache = sh('npm config get cache', os.tmpdir()).stdout.trim();
  const npxDir = path.join(cache, '_npx');
  if (cache === '' || !fs.existsSync(npxDir)) return [];
  return fs.readdirSync(npxDir).map((d) => path.join(npxDir, d)).filter((dir) => {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { _npx?: { packages?: string[] } };
      return manifest._npx?.packages?.includes(tarball) === true;
    } catch {
      // an npx folder of something else without a readable manifest (one being installed by another npx right now)
      return false;
    }
  });
}

describe('npm package', () => {
  const packDir = tempDir('albench-pack-');
  let packed: PackResult | undefined;
  const app = tempDir('albench-app-');
  const cache = tempDir('albench-cache-');
  const npxApp = tempDir('albench-npx-');
  const npxCache = tempDir('albench-npx-cache-');
  const tarball = () => path.join(packDir, packed?.filename ?? 'not packed');
  // each installed folder is some 370 MB (onnxruntime-node ships every platform's binaries), npx's in the npm cache too
  after(() => {
    const npxInstalls = packed === undefined ? [] : npxInstallsOf(tarball());
    for (const dir of [packDir, app, cache, npxApp, npxCache, ...npxInstalls]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('packs only the built code, bundled models and data, README and LICENSE', (t) => {
    // --ignore-scripts: pack what `npm test` just built instead of rebuilding dist/ under running tests
    const r = sh(`npm pack --ignore-scripts --json --pack-destination ${JSON.stringify(packDir)}`, REPO_ROOT);
    assert.equal(r.status, 0, r.stderr);
    const result = (JSON.parse(r.stdout) as PackResult[])[0];
    assert.ok(result);
    packed = result;
    const files = result.files.map((f) => f.path);
    const expected = ['package.json', 'README.md', 'LICENSE', 'dist/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts',
      'models/bert-sst2-mini/model.safetensors', 'data/glue/SST-2/dev.tsv'];
    for (const f of expected) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    const strays = files.filter((f) => /^(dist\/(test|benchmarks|scripts)\/|test\/|src\/|benchmarks\/|reports\/|\.)|\.map$/.test(f));
    assert.deepEqual(strays, [], 'no tests, sources, source maps, reports or dot files');
    t.diagnostic(`tarball ${mb(result.size)}, ${result.entryCount} files, ${mb(result.unpackedSize)} unpacked`);
  });

  it('installs into an empty folder with the README\'s command, offline beyond the npm registry, without the optional peers', (t) => {
    assert.ok(packed, 'packed');
    assert.equal(sh('node --version', app).stdout.trim(), process.version, 'npm and albench run on the node running this test');
    const started = Date.now();
    const r = sh(`${INSTALL_COMMAND} ${OFFLINE_FLAGS} ${JSON.stringify(tarball())}`, app);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Unknown (project|user|cli) config/);
    const installed = path.join(app, 'node_modules');
    const ortBin = path.join(installed, 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64');
    if (fs.existsSync(ortBin)) assert.ok(!fs.existsSync(path.join(ortBin, 'libonnxruntime_providers_cuda.so')), 'no CUDA download');
    for (const dev of ['@huggingface/transformers', 'typescript']) assert.ok(!fs.existsSync(path.join(installed, dev)), `${dev} is not installed`);
    for (const peer of Object.keys(PEERS)) assert.ok(!fs.existsSync(path.join(installed, peer)), `${peer} (an optional peer) is not installed`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    t.diagnostic(`node ${process.version}: installed in ${seconds} s; node_modules ${mb(diskBytes(installed))}, `
      + `albench ${mb(diskBytes(path.join(installed, 'albench')))}`);
  });

  it('npx albench compare bert albert writes its report under the current folder', (t) => {
    const started = Date.now();
    const env = userEnv({ ALBENCH_CACHE: cache });
    const r = sh(`npx ${MAIN_JOB}`, app, env);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    for (const f of REPORT_FILES) {
      assert.ok(fs.existsSync(path.join(app, 'reports', 'bert-vs-albert', f)), `reports/bert-vs-albert/${f}`);
    }
    t.diagnostic(`node ${process.version}: compare took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('without the optional peers, a run that needs one stops before any work: one line naming the install command, exit 1', () => {
    const web = `needs onnxruntime-web, which is not installed: ${installCommand('onnxruntime-web')}`;
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['compare bert albert --device wasm --name refused', `--device wasm ${web}`],
      ['compare bert albert --device cpu,browser-wasm --name refused', `--device browser-wasm ${web}`],
      ['bench --config bert-base-uncased --random-weights --device cpu,wasm', `--device wasm ${web}`],
      ['compare bert albert --cache s3://bucket/x --name refused',
        `s3://bucket/x: an S3 cache needs @aws-sdk/client-s3, which is not installed: ${installCommand('@aws-sdk/client-s3')}`],
    ];
    // Fresh folders for the local cache and an S3 cache's mirror: the refusal comes before anything is stored in either.
    const untouched = tempDir('albench-refused-');
    const env = userEnv({ ALBENCH_CACHE: path.join(untouched, 'cache'), XDG_CACHE_HOME: untouched, ALBENCH_S3_MIRROR: path.join(untouched, 's3') });
    for (const [args, message] of cases) {
      const r = sh(`npx albench ${args}`, app, env);
      assert.equal(r.status, 1, `albench ${args}: ${r.stderr}`);
      assert.equal(r.stderr, `error: ${message}\n`, `albench ${args}`);
      assert.equal(r.stdout, '', `albench ${args}`);
    }
    const stored = fs.readdirSync(untouched, { withFileTypes: true, recursive: true }).filter((e) => !e.isDirectory());
    assert.deepEqual(stored.map((e) => e.name), [], 'nothing was cached');
    assert.ok(!fs.existsSync(path.join(app, 'reports', 'refused')), 'no report folder was made');
    fs.rmSync(untouched, { recursive: true, force: true });
  });

  it('npx --yes --package <tarball> albench compare bert albert works from an empty folder, without the optional peers', (t) => {
    assert.ok(packed, 'packed');
    const started = Date.now();
    // The README's install flag applies here too: npx runs onnxruntime-node's install script, which on Linux x64 downloads CUDA libraries.
    const command = `ONNXRUNTIME_NODE_INSTALL=skip npx --yes ${OFFLINE_FLAGS} --package ${JSON.stringify(tarball())} ${MAIN_JOB}`;
    const r = sh(command, npxApp, userEnv({ ALBENCH_CACHE: npxCache }));
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    for (const f of REPORT_FILES) {
      assert.ok(fs.existsSync(path.join(npxApp, 'reports', 'bert-vs-albert', f)), `reports/bert-vs-albert/${f}`);
    }
    assert.deepEqual(fs.readdirSync(npxApp), ['reports'], 'npx installs nothing into the folder it runs in');
    const installs = npxInstallsOf(tarball());
    assert.equal(installs.length, 1, 'one npx install of the tarball');
    for (const peer of Object.keys(PEERS)) {
      assert.ok(!fs.existsSync(path.join(installs[0] ?? '', 'node_modules', peer)), `${peer} (an optional peer) is not installed`);
    }
    t.diagnostic(`node ${process.version}: npx --package took ${((Date.now() - started) / 1000).toFixed(1)} s, the compare's ${r.stdout.match(/^([\d.]+ s), /m)?.[1] ?? '?'}`);
  });

  it('the library imports by its package name and reads the report it wrote', () => {
    const script = [
      "import * as albench from 'albench';",
      "const names = ['convert', 'quantizeFile', 'quantizeCalibrated', 'optimizeFile', 'evaluate', 'bench', 'compare',",
      "  'regress', 'readReport', 'validateReport'];",
      "const missing = names.filter((n) => typeof albench[n] !== 'function');",
      "if (missing.length) throw new Error('not exported: ' + missing.join(', '));",
      "const report = albench.readReport('reports/bert-vs-albert/report.json');",
      'const result = albench.regress(report, report, albench.DEFAULT_THRESHOLDS);',
      'console.log(report.variants.length, albench.hasRegression(result));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, env: userEnv(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '6 false');
  });

  it('the README\'s library example compiles against the installed package', () => {
    const { status, output } = typecheck(exampleProject(readmeLibraryExample(), path.join(app, 'node_modules', 'albench')));
    assert.equal(status, 0, output);
  });
});
