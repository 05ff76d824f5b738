import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { exampleProject, readmeLibraryExample, typecheck } from './example-project.js';
import { userEnv } from './user-env.js';

/**
 * The package as a user gets it: `npm pack` of the built repository, installed into an empty folder
 * with the README's command (the tarball standing in for the registry name; offline flags because
 * the npm cache is warm after `npm ci`), then the README's main command run there.
 */
const INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=skip npm install';
const OFFLINE_FLAGS = '--prefer-offline --no-audit --no-fund';

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

describe('npm package', () => {
  const packDir = tempDir('albench-pack-');
  let packed: PackResult | undefined;
  const app = tempDir('albench-app-');
  const cache = tempDir('albench-cache-');
  // the installed folder alone is some 400 MB (onnxruntime-node ships every platform's binaries)
  after(() => {
    for (const dir of [packDir, app, cache]) fs.rmSync(dir, { recursive: true, force: true });
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

  it('installs into an empty folder with the README\'s command, offline beyond the npm registry', (t) => {
    assert.ok(packed, 'packed');
    const tarball = path.join(packDir, packed.filename);
    const started = Date.now();
    const r = sh(`${INSTALL_COMMAND} ${OFFLINE_FLAGS} ${JSON.stringify(tarball)}`, app);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /Unknown (project|user|cli) config/);
    const installed = path.join(app, 'node_modules');
    const ortBin = path.join(installed, 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64');
    if (fs.existsSync(ortBin)) assert.ok(!fs.existsSync(path.join(ortBin, 'libonnxruntime_providers_cuda.so')), 'no CUDA download');
    for (const dev of ['@huggingface/transformers', 'typescript']) assert.ok(!fs.existsSync(path.join(installed, dev)), `${dev} is not installed`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    t.diagnostic(`installed in ${seconds} s; node_modules ${mb(diskBytes(installed))}, albench ${mb(diskBytes(path.join(installed, 'albench')))}`);
  });

  it('npx albench compare bert albert writes its report under the current folder', (t) => {
    const started = Date.now();
    const env = userEnv({ ALBENCH_CACHE: cache });
    const r = sh('npx albench compare bert albert --limit 50 --time 100 --warmup 1', app, env);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    for (const f of ['report.json', 'report.md', 'report.html', 'report.csv']) {
      assert.ok(fs.existsSync(path.join(app, 'reports', 'bert-vs-albert', f)), `reports/bert-vs-albert/${f}`);
    }
    t.diagnostic(`compare took ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
