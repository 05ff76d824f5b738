import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StepCache } from '../../src/cache/cache.js';
import { S3CacheStore } from '../../src/cache/store-s3.js';
import { parseS3Location } from '../../src/cache/s3-client.js';
import { compare, type CompareOptions } from '../../src/compare/compare.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function options(root: string, cache: string, warnings: string[]): CompareOptions {
  return {
    models: ['bert'], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 8 },
    batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'r', cacheDir: cache, warn: (line) => warnings.push(line),
  };
}

interface Ran { readonly status: number | null; readonly stdout: string; readonly stderr: string }

/** A child process run without blocking this one, which serves S3 to it. */
function run(args: readonly string[], env: Readonly<Record<string, string>>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Objects as s3rver keeps them on disk: `<bucket>/<key>._S3rver_object`. */
function storedObjects(server: S3TestServer, under: string): string[] {
  const root = path.join(server.directory, server.bucket);
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith('._S3rver_object')) found.push(path.relative(root, p).replace(/\._S3rver_object$/, ''));
    }
  };
  if (fs.existsSync(path.join(root, under))) walk(path.join(root, under));
  return found.sort();
}

describe('the step cache in S3-compatible object storage', () => {
  let server: S3TestServer;
  const saved = { ...process.env };
  before(async () => {
    server = await startS3Server();
    Object.assign(process.env, server.env);
  });
  after(async () => {
    for (const name of Object.keys(server.env)) delete process.env[name];
    Object.assign(process.env, saved);
    await server.stop();
  });
  /** A fresh local mirror, as on another machine. */
  const machine = (): void => {
    process.env['ALBENCH_S3_MIRROR'] = tempDir('albench-mirror-');
  };

  it('a second compare on another machine finds every step but timing in S3', async () => {
    const root = tempDir();
    const cache = `s3://${server.bucket}/runs/a`;
    const warnings: string[] = [];
    machine();
    const cold = await compare(options(root, cache, warnings));
    assert.equal(cold.cacheHits, 0);
    const manifests = storedObjects(server, 'runs/a').filter((k) => k.endsWith('/manifest.json'));
    assert.deepEqual([...new Set(manifests.map((k) => k.split('/')[2]))].sort(), ['bench', 'convert', 'eval', 'transformers-js', 'variant']);
    machine();
    const warm = await compare(options(root, cache, warnings));
    // convert once, int8-dynamic built from it (fp32 is the converted model), an eval and a transformers.js check per
    // variant; timing is measured afresh (never looked up without --reuse-timings).
    assert.deepEqual([warm.cacheHits, warm.cacheMisses], [6, 0]);
    const facts = (r: typeof cold): unknown[] => r.report.variants.map((v) => (v.state === 'completed' ? [v.file, v.sizeBytes, v.metrics] : v.state));
    assert.deepEqual(facts(warm), facts(cold));
    assert.deepEqual(warnings, []);
  });

  it('an object damaged in S3 is found on the next machine, rebuilt with a warning naming the entry, and repaired there', async () => {
    const root = tempDir();
    const cache = `s3://${server.bucket}/runs/b`;
    machine();
    await compare(options(root, cache, []));
    const model = storedObjects(server, 'runs/b').find((k) => /\/convert\/[0-9a-f]{64}\/[0-9a-f]{64}\/model\/onnx\/model\.onnx$/.test(k));
    assert.ok(model !== undefined, 'the converted model is an object');
    const file = path.join(server.directory, server.bucket, `${model}._S3rver_object`);
    const bytes = fs.readFileSync(file);
    bytes.writeUInt8((bytes.readUInt8(bytes.length >> 1) + 1) % 256, bytes.length >> 1);
    fs.writeFileSync(file, bytes);
    const key = model.split('/')[3] ?? '';
    const warnings: string[] = [];
    machine();
    const second = await compare(options(root, cache, warnings));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', new RegExp(`^warning: cache entry convert ${key} \\(.*\\) is damaged: model/onnx/model.onnx does not match its sha256 `
      + `recorded when stored \\(downloaded from s3://${server.bucket}/runs/b\\); rebuilding it$`));
    assert.equal(second.report.variants.filter((v) => v.state === 'completed').length, 2);
    const third: string[] = [];
    machine();
    const repaired = await compare(options(root, cache, third));
    assert.deepEqual([repaired.cacheHits, third], [6, []], 'convert, the int8 variant, and an eval and a transformers.js check per variant');
  });

  it('two processes storing one key at once leave one whole entry', async () => {
    const cache = `s3://${server.bucket}/race`;
    const start = Date.now() + 1500;
    // Each writer stores different bytes under the same key (as two timings would), so a mix of the two would not verify.
    const writer = [
      `import fs from 'node:fs'; import path from 'node:path';`,
      `import { StepCache } from ${JSON.stringify(path.join(REPO_ROOT, 'dist', 'src', 'cache', 'cache.js'))};`,
      `const cache = await StepCache.open(${JSON.stringify(cache)});`,
      `await new Promise((r) => setTimeout(r, ${start} - Date.now()));`,
      `const who = process.argv[1];`,
      `await cache.store('bench', { k: 1 }, (dir) => { fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(3_000_000, who)); return who; });`,
    ].join('\n');
    const env = (): Record<string, string> => ({ ...server.env, ALBENCH_S3_MIRROR: tempDir('albench-mirror-') });
    const ran = await Promise.all(['a', 'b'].map((who) => run(['--input-type=module', '-e', writer, who], env())));
    for (const r of ran) assert.equal(r.status, 0, r.stderr);
    machine();
    const reader = new StepCache(cache, { warn: (line) => assert.fail(line) });
    const hit = await reader.lookup<string>('bench', { k: 1 });
    assert.ok(hit !== null && (hit.value === 'a' || hit.value === 'b'));
    assert.deepEqual(fs.readFileSync(path.join(hit.dir, 'data.bin')), Buffer.alloc(3_000_000, hit.value));
  });

  it('another process swapping its entry into the shared mirror while this one uploads the same key does not change what is uploaded', async (t) => {
    const cache = `s3://${server.bucket}/swap`;
    machine();
    const [writer, other] = [await StepCache.open(cache), await StepCache.open(cache)];
    // The same file size, other bytes; a result of another length (as timings differ).
    const produce = (who: string) => (dir: string): string => {
      fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(100_000, who));
      return who.repeat(who.length);
    };
    // The other process finishes the same step just as this one starts uploading its files: its folder takes the
    // entry's place in the mirror (its writeDirAtomic), while its own uploads go on elsewhere (not done here).
    const store = S3CacheStore.prototype as unknown as { put: (...args: unknown[]) => Promise<unknown> };
    const put = store.put;
    let otherProcess: 'not yet' | 'storing' | 'done' = 'not yet';
    t.mock.method(store, 'put', async function (this: S3CacheStore, ...args: unknown[]) {
      if (otherProcess === 'storing') return 'stored';
      if (otherProcess === 'not yet') {
        otherProcess = 'storing';
        await other.store('bench', { k: 1 }, produce('bb'));
        otherProcess = 'done';
      }
      return put.apply(this, args);
    });
    await writer.store('bench', { k: 1 }, produce('a'));
    t.mock.restoreAll();
    machine();
    const reader = new StepCache(cache, { warn: (line) => assert.fail(line) });
    const hit = await reader.lookup<string>('bench', { k: 1 });
    assert.ok(hit !== null && hit.value === 'a', JSON.stringify(hit));
    assert.deepEqual(fs.readFileSync(path.join(hit.dir, 'data.bin')), Buffer.alloc(100_000, 'a'));
  });

  it('an unreachable endpoint, a missing bucket and refused credentials are one line naming the cache, exit 1, no secret printed', async () => {
    const secret = 'do-not-print-this-secret';
    const args = [CLI, 'compare', 'bert', '--variants', 'fp32', '--limit', '4', '--quiet', '--reports', tempDir()];
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ ALBENCH_S3_ENDPOINT: 'http://127.0.0.1:9' }, `s3://${server.bucket}/p`,
        /^error: s3:\/\/albench-test\/p: cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\).*ALBENCH_S3_ENDPOINT/],
      [{}, 's3://no-such-bucket/p', /^error: s3:\/\/no-such-bucket\/p: bucket no-such-bucket does not exist at http:.*; create it/],
      [{ AWS_ACCESS_KEY_ID: 'NOT-A-KEY', AWS_SECRET_ACCESS_KEY: secret }, `s3://${server.bucket}/p`,
        new RegExp(`^error: s3://${server.bucket}/p: access denied .*check the credentials`)],
    ];
    for (const [extra, cache, expected] of cases) {
      const r = await run([...args, '--cache', cache], { ...server.env, ...extra, ALBENCH_S3_MIRROR: tempDir('albench-mirror-') });
      assert.equal(r.status, 1, `${cache} ${JSON.stringify(extra)}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr + r.stdout, new RegExp(`${secret}|S3RVER`));
    }
  });

  it('albench cache list, verify and prune refuse an S3 cache, naming this machine\'s mirror folder instead', async () => {
    const mirror = tempDir('albench-mirror-');
    for (const command of ['list', 'verify', 'prune']) {
      const r = await run([CLI, 'cache', command, '--cache', `s3://${server.bucket}/runs/a`], { ALBENCH_S3_MIRROR: mirror });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, `error: albench cache ${command} works on a cache folder, not on s3://${server.bucket}/runs/a: S3 entries are verified `
        + `whenever they are read; list or expire them with your storage's tools (aws s3 ls, a lifecycle rule), or ${command} this machine's mirror: `
        + `--cache ${path.join(mirror, server.bucket, 'runs', 'a')}\n`);
    }
    const fromEnv = await run([CLI, 'cache', 'list'], { ALBENCH_CACHE: `s3://${server.bucket}/runs/a`, ALBENCH_S3_MIRROR: mirror });
    assert.equal(fromEnv.status, 2);
    assert.match(fromEnv.stderr, /^error: albench cache list works on a cache folder, not on s3:\/\/albench-test\/runs\/a: /);
  });

  it('a cache location that is no bucket, or whose prefix would climb out of the mirror, is refused as usage', () => {
    assert.deepEqual(parseS3Location('s3://my-bucket//a/b/'), { bucket: 'my-bucket', prefix: 'a/b' });
    assert.deepEqual(parseS3Location('s3://my-bucket'), { bucket: 'my-bucket', prefix: '' });
    assert.throws(() => parseS3Location('s3://'), /--cache s3:\/\/: "" is not an S3 bucket name; write s3:\/\/<bucket>\/<prefix>/);
    assert.throws(() => parseS3Location('s3://Bad_Bucket/x'), /is not an S3 bucket name/);
    assert.throws(() => parseS3Location('s3://my-bucket/a/../../etc'), /the prefix may not contain "\.", "\.\." or "\\" segments/);
  });
});
