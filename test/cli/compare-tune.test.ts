import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { deploymentProblem } from '../../src/deploy/manifest-schema.js';
import { DEPLOYMENT_FILE, type DeploymentManifest } from '../../src/deploy/manifest-types.js';
import { readReport } from '../../src/report/read-report.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function albench(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

describe('albench compare --tune, then deploy, on the bundled bert', () => {
  it('writes the chosen session settings into report.json (which validates) and deploy carries them into deployment.json', () => {
    const root = tempDir();
    const cache = path.join(root, 'cache');
    // Short timings (a 50 ms floor per child, 16 rows, 16 tokens): what is checked is where the figures go, not what they are.
    const compare = albench('compare', 'bert', '--variants', 'fp32', '--tune', '--limit', '16', '--seq', '16', '--time', '50', '--no-transformers-js',
      '--cache', cache, '--reports', path.join(root, 'reports'), '--name', 'tuned');
    assert.equal(compare.status, 0, compare.stderr);
    assert.match(compare.stderr, /^deployment measurements: \d+ tuning process\(es\): about \d+ min more \(an estimate/m, 'the estimate comes first');
    const reportFile = path.join(root, 'reports', 'tuned', 'report.json');
    const report = readReport(reportFile);
    assert.deepEqual(report.deployment?.tune, { selectionRounds: 2, measurementRounds: 2, batchSize: 1, sequenceLength: 16 });
    assert.deepEqual(report.env.session, { interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
    const v = report.variants[0];
    assert.ok(v?.state === 'completed');
    const tuned = v.deployment?.tuned;
    assert.equal(tuned?.length, 1);
    const t = tuned?.[0];
    assert.ok(t?.state === 'measured', JSON.stringify(t));
    assert.equal(t.device, 'cpu');
    assert.deepEqual(t.candidates[0]?.session, { ...report.env.session, intraOpThreads: report.env.threads }, 'the default is the timed settings');
    assert.ok(t.candidates.some((c) => JSON.stringify(c.session) === JSON.stringify(t.chosen)), 'the chosen is one of the candidates');
    assert.ok(t.candidates.length >= 4 && t.candidates.every((c) => c.state === 'measured' && c.roundP50sMs.length === 2));
    assert.equal(t.measured.roundP50sMs.length, 2);
    assert.equal(t.versusDefault === null, t.choice !== 'fastest');
    assert.match(fs.readFileSync(path.join(root, 'reports', 'tuned', 'report.md'), 'utf8'), /### Tuned sessions[\s\S]*\| bert\/fp32 \| cpu \| \d+ threads?, graph /);

    const out = path.join(root, 'deployed');
    const deploy = albench('deploy', reportFile, '--target', 'node', '--cache', cache, '-o', out);
    assert.equal(deploy.status, 0, deploy.stderr);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, DEPLOYMENT_FILE), 'utf8')) as DeploymentManifest;
    assert.equal(deploymentProblem(manifest), null);
    const { executionProvider, settingsFrom, intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode } = manifest.session;
    // On a loaded machine the measurement rounds can find the choice slower than the default beyond noise;
    // deploy then ships the timed settings (test/deploy/manifest.test.ts holds both cases on a fixed report).
    if (t.versusDefault?.verdict === 'slower') {
      assert.deepEqual([executionProvider, settingsFrom], ['cpu', 'timed']);
      assert.deepEqual({ intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode }, { ...report.env.session, intraOpThreads: report.env.threads });
      assert.equal(manifest.expected.tuned, null);
    } else {
      assert.deepEqual([executionProvider, settingsFrom], ['cpu', 'tuned']);
      assert.deepEqual({ intraOpThreads, interOpThreads, graphOptimizationLevel, executionMode }, t.chosen);
      assert.deepEqual(manifest.expected.tuned, { batchSize: 1, sequenceLength: 16, p50Ms: t.measured.p50Ms, p99Ms: t.measured.p99Ms });
    }
  });
});
