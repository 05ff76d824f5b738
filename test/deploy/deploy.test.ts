import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { compare, type CompareResult } from '../../src/compare/compare.js';
import { deploy } from '../../src/deploy/deploy.js';
import { deploymentProblem } from '../../src/deploy/manifest-schema.js';
import { DEPLOYMENT_FILE, type DeploymentManifest } from '../../src/deploy/manifest-types.js';
import { DeployError } from '../../src/errors.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';
import { sha256FileSync } from '../../src/util/sha256.js';
import { tempDir } from '../helpers/paths.js';

const readManifest = (dir: string): DeploymentManifest => JSON.parse(fs.readFileSync(path.join(dir, DEPLOYMENT_FILE), 'utf8')) as DeploymentManifest;

describe('albench deploy --target node on a report compare made on the bundled models', () => {
  const root = tempDir();
  const cacheDir = path.join(root, 'cache');
  let result: CompareResult;
  let reportFile: string;

  before(async () => {
    result = await compare({
      models: ['bert'], variants: ['fp32', 'int8-dynamic'], task: 'sst2', dataDir: BUNDLED_GLUE_DIR, subset: { kind: 'limit', limit: 16 },
      batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 0, stop: { minIterations: 2, minTimeMs: 0 },
      constraints: {}, reportsDir: path.join(root, 'reports'), name: 'deploy', cacheDir,
    });
    reportFile = path.join(result.reportDir, 'report.json');
  });

  it('writes a folder onnxruntime-node runs from deployment.json alone, whose sha256 matches the copied file', async () => {
    const out = path.join(root, 'node');
    const manifest = await deploy({ reportFile, target: 'node', outDir: out, cacheDir });
    assert.equal(deploymentProblem(readManifest(out)), null);
    assert.deepEqual(readManifest(out), manifest);
    assert.equal(sha256FileSync(path.join(out, manifest.variant.file)), manifest.variant.fileSha256);
    assert.equal(manifest.report.sha256, sha256FileSync(reportFile));
    assert.ok(fs.existsSync(path.join(out, 'config.json')) && fs.existsSync(path.join(out, 'vocab.txt')));
    const session = await ort.InferenceSession.create(path.join(out, manifest.variant.file), { intraOpNumThreads: manifest.session.intraOpThreads });
    const feeds: Record<string, ort.Tensor> = {};
    const ids: Record<string, bigint[]> = { input_ids: [2n, 5n, 3n], attention_mask: [1n, 1n, 1n], token_type_ids: [0n, 0n, 0n] };
    for (const name of session.inputNames) feeds[name] = new ort.Tensor('int64', BigInt64Array.from(ids[name] ?? [0n, 0n, 0n]), [1, 3]);
    const out0 = (await session.run(feeds))[session.outputNames[0] ?? ''];
    assert.deepEqual(out0?.dims, [1, 2]);
  });

  it('--max-size picks within it, and a bound no variant meets exits 1 naming the closest variant and the miss', async () => {
    const report = result.report;
    const sizes = report.variants.flatMap((v) => (v.state === 'completed' ? [v.sizeBytes] : []));
    const smallest = Math.min(...sizes);
    const m = await deploy({ reportFile, target: 'node', outDir: path.join(root, 'small'), cacheDir, constraints: { maxSizeMb: (smallest + 1) / 1e6 } });
    assert.equal(m.variant.sizeBytes, smallest);
    await assert.rejects(
      deploy({ reportFile, target: 'node', outDir: path.join(root, 'none'), cacheDir, constraints: { maxSizeMb: smallest / 2e6 } }),
      (e: unknown) => e instanceof DeployError && e.exitCode === 1 && /closest is bert\/int8-dynamic: .* MB over the size limit/.test(e.message),
    );
    assert.equal(fs.existsSync(path.join(root, 'none')), false);
  });

  it('--max-drop applies non-inferiority on the paired interval against fp32 (fp32 itself always passes)', async () => {
    const m = await deploy({ reportFile, target: 'node', outDir: path.join(root, 'drop'), cacheDir, constraints: { maxDropPoints: 0 } });
    const low = m.accuracy.vsFp32?.interval.low ?? 0;
    assert.ok(m.variant.variant === 'fp32' || low >= 0, JSON.stringify(m.accuracy));
    if (m.accuracy.vsFp32 !== null) assert.equal(m.accuracy.vsFp32.interval.method, 'wald-paired-proportions');
    assert.deepEqual(m.constraints, { maxDropPoints: 0 });
  });

  it('a cache file that changed since the report, or is missing, exits 1 naming it', async () => {
    const m = readManifest(path.join(root, 'node'));
    const cached = path.join(cacheDir, result.report.variants.find((v) => v.id === m.variant.id && v.state === 'completed')?.state === 'completed'
      ? (result.report.variants.find((v) => v.id === m.variant.id) as { file: string }).file : '');
    const bytes = fs.readFileSync(cached);
    try {
      fs.writeFileSync(cached, Buffer.concat([bytes, Buffer.from([0])]));
      await assert.rejects(deploy({ reportFile, target: 'node', outDir: path.join(root, 'changed'), cacheDir }),
        (e: unknown) => e instanceof DeployError && e.exitCode === 1 && e.message.includes(cached) && e.message.includes('has changed'));
      fs.rmSync(cached);
      await assert.rejects(deploy({ reportFile, target: 'node', outDir: path.join(root, 'changed'), cacheDir }),
        (e: unknown) => e instanceof DeployError && e.message.includes(cached) && e.message.includes('is missing'));
    } finally {
      fs.writeFileSync(cached, bytes);
    }
  });

  it('--target cuda on a report without cuda timings exits 1 naming --device cuda; browser names browser-wasm', async () => {
    await assert.rejects(deploy({ reportFile, target: 'cuda', outDir: path.join(root, 'cuda'), cacheDir }),
      (e: unknown) => e instanceof DeployError && e.exitCode === 1 && e.message.includes('--device cuda'));
    await assert.rejects(deploy({ reportFile, target: 'browser', outDir: path.join(root, 'browser'), cacheDir }),
      (e: unknown) => e instanceof DeployError && e.message.includes('--device cpu,browser-wasm'));
  });

  it('never replaces a folder it did not write', async () => {
    const mine = path.join(root, 'mine');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'notes.txt'), 'keep');
    await assert.rejects(deploy({ reportFile, target: 'node', outDir: mine, cacheDir }), /did not write/);
    assert.equal(fs.readFileSync(path.join(mine, 'notes.txt'), 'utf8'), 'keep');
  });
});
