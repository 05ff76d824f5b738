import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { once } from 'node:events';
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

  // This machine's sandbox drops files of its own (.ses, mat-debug-<pid>.log) into any TMPDIR, so the check is on what albench
  // names: while the suite runs, nothing albench makes there but bench's own scratch folder for optimised graphs.
  it('the bundled suite writes no report of its own per (family, task): nothing in TMPDIR, nothing but the suite\'s folder under --reports', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, 'tmp');
    const reports = path.join(dir, 'reports');
    fs.mkdirSync(tmp);
    const args = [
      'compare', '--suite', path.join(REPO_ROOT, 'examples', 'suite-bundled.yaml'), '--variants', 'fp32', '--seq', '16', '--warmup', '1',
      '--time', '0', '--rounds', '2', '--reuse-timings', '--threads', '1', '--no-transformers-js',
      '--reports', reports, '--cache', path.join(dir, 'cache'), '--quiet',
    ];
    const made = new Set<string>();
    const watcher = fs.watch(tmp, (_event, name) => { if (name !== null) made.add(name); });
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const [status] = (await once(child, 'close')) as [number | null];
    watcher.close();
    assert.equal(status, 0, stderr);
    const albenchs = (names: Iterable<string>) => [...names].filter((n) => n.includes('albench'));
    assert.deepEqual(albenchs(made).filter((n) => !n.startsWith('.albench-bench.tmp-')), []);
    assert.ok(albenchs(made).length > 0, 'the watch saw bench\'s scratch folder come and go (it is not blind)');
    assert.deepEqual(albenchs(fs.readdirSync(tmp)), []);
    assert.deepEqual(fs.readdirSync(reports), ['suite-bundled']);
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
