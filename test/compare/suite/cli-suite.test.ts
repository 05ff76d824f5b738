import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateSuiteReport } from '../../../src/report/model/suite-schema.js';
import type { SuiteReport } from '../../../src/report/model/suite-types.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** A quick two-family, one-task suite from the command line into a fresh folder: its output and its report.json, validated. */
function runSuiteCli(...extra: string[]): { r: SpawnSyncReturns<string>; report: () => SuiteReport } {
  const dir = tempDir();
  const args = [
    'compare', '--task', 'sst2', '--family', 'bert=bert', '--family', 'albert=albert', '--variants', 'fp32', '--limit', '16',
    '--seq', '16', '--warmup', '1', '--time', '0', '--rounds', '2', '--reuse-timings', '--threads', '1', ...extra,
    '--reports', path.join(dir, 'reports'), '--cache', path.join(dir, 'cache'), '--name', 'cli-suite', '--quiet',
  ];
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const file = path.join(dir, 'reports', 'cli-suite', 'report.json');
  return { r, report: () => validateSuiteReport(JSON.parse(fs.readFileSync(file, 'utf8')), 'report.json') };
}

describe('albench compare --task ... --family ...', () => {
  it('runs a suite from the command line and writes one suite report', () => {
    const { r, report: read } = runSuiteCli();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /bert\/fp32 +GLUE avg \d+\.\d/);
    assert.match(r.stdout, /2 compare run\(s\)/);
    const report = read();
    assert.deepEqual(report.rows.map((row) => row.id), ['bert/fp32', 'albert/fp32']);
    assert.deepEqual(report.families.map((f) => f.modelType), ['bert', 'albert']);
    assert.deepEqual(report.tasks.map((t) => t.subset), [{ kind: 'limit', limit: 16 }]);
    assert.ok(report.claims.some((c) => c.id === 'glue-cost:fp32'));
  });

  it('with --shard 1/2 makes the second of the two (family, task) runs and writes a partial suite report', () => {
    const { r, report: read } = runSuiteCli('--shard', '1/2');
    assert.equal(r.status, 0, r.stderr);
    const report = read();
    assert.deepEqual(report.shard, { index: 1, count: 2, runs: [{ family: 'albert', task: 'sst2' }] });
    assert.deepEqual(report.taskReports.map((t) => t.family), ['albert']);
  });

  it('refuses models beside --family, and a family with the wrong number of checkpoints', () => {
    const models = spawnSync(process.execPath, [CLI, 'compare', 'bert', '--family', 'bert=bert'], { encoding: 'utf8' });
    assert.equal(models.status, 2);
    assert.match(models.stderr, /the models come from the suite; drop bert/);
    const count = spawnSync(process.execPath, [CLI, 'compare', '--task', 'sst2,mrpc', '--family', 'bert=bert'], { encoding: 'utf8' });
    assert.equal(count.status, 2);
    assert.match(count.stderr, /give 2 checkpoint\(s\), one per --task \(sst2,mrpc\)/);
  });
});
