import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runSuite, type SuiteOptions } from '../../../src/compare/suite/run-suite.js';
import type { SuiteSpec } from '../../../src/compare/suite/suite-spec.js';
import { findGlueTask } from '../../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR } from '../../../src/paths.js';
import { readAnyReport } from '../../../src/report/read-report.js';
import { mergeSuiteReports } from '../../../src/report/suite/merge.js';
import type { SuiteReport } from '../../../src/report/model/suite-types.js';
import { REPO_ROOT, tempDir } from '../../helpers/paths.js';
import { TIMING_AND_MACHINE_FIELDS, withoutTimingAndMachine } from '../../helpers/shard-run.js';
import { tinyCheckpoint } from '../../helpers/tiny-checkpoint.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const SUBSET = { kind: 'limit', limit: 16 } as const;

/**
 * Exactly what the merged suite report may differ in from the unsharded one: the fields that come
 * from timing or the machine. Everything else must be equal.
 */
const SUITE_TIMING_AND_MACHINE_FIELDS = [
  'createdAt',
  'rows[].cells[].p50Ms',
  'rows[].cells[].peakRssBytes',
  'rows[].meanP50Ms',
  'recommendation (drawn from latency when no constraints are given)',
  'claims[glue-latency:*] (drawn from latency)',
  `taskReports[].report: ${TIMING_AND_MACHINE_FIELDS.join(', ')}`,
] as const;

function withoutSuiteTimingAndMachine(r: SuiteReport): unknown {
  const { createdAt: _c, recommendation: _r, ...rest } = r;
  return {
    ...rest,
    rows: r.rows.map((row) => {
      const { meanP50Ms: _m, ...kept } = row;
      return { ...kept, cells: row.cells.map((c) => { const { p50Ms: _p, peakRssBytes: _rss, ...cell } = c; return cell; }) };
    }),
    claims: r.claims.filter((c) => !c.id.startsWith('glue-latency:')),
    taskReports: r.taskReports.map((t) => ({ ...t, report: withoutTimingAndMachine(t.report) })),
  };
}

const suiteJson = (file: string): SuiteReport => {
  const read = readAnyReport(file);
  assert.equal(read.kind, 'suite', file);
  return read.report as SuiteReport;
};

describe('compare --suite --shard K/3, then albench merge: the unsharded suite report', () => {
  const root = tempDir('albench-suite-shard-');
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const cls = tinyCheckpoint(root, 'bert-tiny-cls', 'bert-tiny-cls');
  const regression = tinyCheckpoint(root, 'bert-tiny-regression', 'bert-tiny-regression');
  // Two families on the same checkpoints: four (family, task) runs for three shards, cheap from the one shared cache.
  const suite: SuiteSpec = {
    tasks: [{ task: findGlueTask('sst2'), subset: SUBSET }, { task: findGlueTask('stsb'), subset: SUBSET }],
    families: [{ name: 'bert', models: [cls, regression] }, { name: 'bert-copy', models: [cls, regression] }],
  };
  const options = (reports: string, extra: Partial<SuiteOptions> = {}): SuiteOptions => ({
    suite, variants: ['fp32', 'int8-dynamic'], dataDir: BUNDLED_GLUE_DIR,
    batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, reports), name: 'tiny-suite', cacheDir: path.join(root, 'cache'), ...extra,
  });
  const shardFile = (k: number) => path.join(root, `shard${k}`, 'tiny-suite', 'report.json');
  let done: Promise<{ single: SuiteReport; shards: SuiteReport[]; merged: SuiteReport }> | undefined;
  const ran = () => (done ??= (async () => {
    const single = await runSuite(options('single'));
    assert.equal(single.failures, 0);
    for (let k = 0; k < 3; k++) {
      const shard = await runSuite(options(`shard${k}`, { shard: { index: k, count: 3 }, reuseTimings: true }));
      assert.equal(shard.failures, 0);
    }
    const merged = path.join(root, 'merged');
    const { stdout } = await run(process.execPath, [CLI, 'merge', shardFile(0), shardFile(1), shardFile(2), '-o', merged]);
    assert.match(stdout, /merged 3 suite shards: 4 compare runs, 4 rows/);
    for (const file of ['report.md', 'report.html', 'report.csv']) assert.ok(fs.statSync(path.join(merged, file)).size > 0, file);
    return { single: single.report, shards: [0, 1, 2].map((k) => suiteJson(shardFile(k))), merged: suiteJson(path.join(merged, 'report.json')) };
  })());

  it('each shard makes its contiguous slice of the (family, task) runs and writes a schema-valid partial suite report', async () => {
    const { shards } = await ran();
    assert.deepEqual(shards.map((s) => s.taskReports.map((t) => `${t.family} ${t.task}`)), [
      ['bert sst2'], ['bert-copy sst2'], ['bert stsb', 'bert-copy stsb'],
    ]);
    for (const [k, s] of shards.entries()) {
      assert.deepEqual([s.shard?.index, s.shard?.count], [k, 3]);
      assert.deepEqual(s.shard?.runs, s.taskReports.map((t) => ({ family: t.family, task: t.task })));
      assert.match(s.recommendation.reason, new RegExp(`^Partial report \\(shard ${k}/3, 0-based\\)`));
      const dir = path.dirname(shardFile(k));
      assert.match(fs.readFileSync(path.join(dir, 'report.md'), 'utf8'), new RegExp(`\\*\\*Partial report \\(shard ${k}/3, 0-based\\)`));
      assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), new RegExp(`<p class="partial"><strong>Partial report \\(shard ${k}/3`));
    }
    const notRun = shards[0]?.rows.find((r) => r.id === 'bert/fp32')?.cells.find((c) => c.task === 'stsb');
    assert.equal(notRun?.error?.code, 'NOT_RUN');
  });

  it(`the merged suite report equals the unsharded one in every field but ${SUITE_TIMING_AND_MACHINE_FIELDS.join('; ')}`, async () => {
    const { single, merged } = await ran();
    assert.equal(merged.shard, undefined);
    assert.deepEqual(withoutSuiteTimingAndMachine(merged), withoutSuiteTimingAndMachine(single));
    assert.ok(merged.rows.every((r) => r.glueAverage !== undefined && r.cells.every((c) => c.state === 'completed')));
  });

  it('merge refuses a suite mixed with a plain report, shards of different suites, a shard given twice or one missing', async () => {
    const { shards } = await ran();
    const plain = path.join(root, 'plain.json');
    fs.writeFileSync(plain, JSON.stringify(shards[0]?.taskReports[0]?.report));
    await assert.rejects(run(process.execPath, [CLI, 'merge', shardFile(0), plain, '-o', path.join(root, 'mixed')]),
      (e: { stderr: string }) => /is a suite report \(compare --suite\) but .*plain\.json is a single-task report/.test(e.stderr));
    const [s0, s1, s2] = shards as [SuiteReport, SuiteReport, SuiteReport];
    const other = { ...s1, settings: { ...s1.settings, warmupIterations: 5 } };
    assert.throws(() => mergeSuiteReports([{ report: s0, name: 'a' }, { report: other, name: 'b' }, { report: s2, name: 'c' }]),
      /b and a are shards of different suites: their settings differ/);
    assert.throws(() => mergeSuiteReports([{ report: s0, name: 'a' }, { report: s0, name: 'b' }]), /the run bert sst2 is in both a and b/);
    assert.throws(() => mergeSuiteReports([{ report: s0, name: 'a' }, { report: s1, name: 'b' }]),
      /no shard holds the run\(s\) bert stsb, bert-copy stsb \(shards given: 0, 1 of 3\)/);
  });
});
