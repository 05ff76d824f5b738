import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runSuite, type SuiteOptions, type SuiteResult } from '../../../src/compare/suite/run-suite.js';
import type { SuiteSpec } from '../../../src/compare/suite/suite-spec.js';
import { convert } from '../../../src/convert/convert.js';
import { evaluate } from '../../../src/eval/evaluate.js';
import { findGlueTask } from '../../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR } from '../../../src/paths.js';
import { validateSuiteReport } from '../../../src/report/model/suite-schema.js';
import { tempDir } from '../../helpers/paths.js';
import { tinyCheckpoint } from '../../helpers/tiny-checkpoint.js';

const SUBSET = { kind: 'limit', limit: 24 } as const;

function options(root: string, suite: SuiteSpec): SuiteOptions {
  return {
    suite, variants: ['fp32', 'int8-dynamic'], dataDir: BUNDLED_GLUE_DIR,
    batchSizes: [1], sequenceLengths: [16], device: 'cpu', threads: 1, warmupIterations: 1, stop: { minIterations: 3, minTimeMs: 0 },
    constraints: {}, reportsDir: path.join(root, 'reports'), name: 'tiny-suite', cacheDir: path.join(root, 'cache'),
  };
}

function suiteOf(tasks: ReadonlyArray<[string, string]>): SuiteSpec {
  return { tasks: tasks.map(([task]) => ({ task: findGlueTask(task), subset: SUBSET })), families: [{ name: 'bert', models: tasks.map(([, m]) => m) }] };
}

const entries = (root: string, step: string): number => fs.readdirSync(path.join(root, 'cache', step)).length;
const runOf = (r: SuiteResult, task: string) => r.runs.find((run) => run.task === task);

describe('compare --suite on the tiny fixture checkpoints (random heads: metrics meaningless, mechanics real)', () => {
  const root = tempDir();
  const cls = tinyCheckpoint(root, 'bert-tiny-cls', 'bert-tiny-cls');
  const regression = tinyCheckpoint(root, 'bert-tiny-regression', 'bert-tiny-regression');
  // Same weights as cls, another config: a checkpoint the cache has not seen, as a new task's fine-tuned model would be.
  const mrpc = tinyCheckpoint(root, 'bert-tiny-cls', 'bert-tiny-cls-mrpc', { _name_or_path: 'bert-tiny-cls-mrpc' });
  let three: SuiteResult | undefined;

  it('adding a task to a cached suite converts, quantizes and evaluates only that task\'s checkpoint', async () => {
    const first = await runSuite(options(root, suiteOf([['sst2', cls], ['stsb', regression]])));
    assert.equal(first.failures, 0);
    assert.equal(first.cacheHits, 0);
    const before = { convert: entries(root, 'convert'), variant: entries(root, 'variant'), eval: entries(root, 'eval') };
    assert.deepEqual(before, { convert: 2, variant: 2, eval: 4 });

    three = await runSuite(options(root, suiteOf([['sst2', cls], ['mrpc', mrpc], ['stsb', regression]])));
    assert.equal(three.failures, 0);
    // A transformers.js check that fails (the tiny fixtures have no tokenizer.json) is never stored: it is looked up, missed and tried again.
    const failedChecks = (task: string) => runOf(three as SuiteResult, task)?.result.report.variants
      .filter((v) => v.state === 'completed' && v.transformersJs?.state === 'fails').length ?? 0;
    for (const task of ['sst2', 'stsb']) {
      assert.deepEqual([runOf(three, task)?.result.cacheMisses, runOf(three, task)?.result.cacheHits], [failedChecks(task), 4],
        `${task}: convert, variant, 2 evals all cached`);
    }
    assert.deepEqual([runOf(three, 'mrpc')?.result.cacheMisses, runOf(three, 'mrpc')?.result.cacheHits], [4 + failedChecks('mrpc'), 0]);
    assert.deepEqual(
      { convert: entries(root, 'convert'), variant: entries(root, 'variant'), eval: entries(root, 'eval') },
      { convert: 3, variant: 3, eval: 6 },
    );
    // Timings are not reused unless asked (--reuse-timings): every variant of every task was timed again.
    assert.ok(three.runs.every((r) => r.result.report.variants.every((v) => v.state === 'completed' && v.latency.every((p) => !p.reused))));
  });

  it('every cell of the three-task suite equals `albench eval` of the same checkpoint, variant and task', async () => {
    assert.ok(three !== undefined);
    const report = validateSuiteReport(JSON.parse(fs.readFileSync(path.join(three.reportDir, 'report.json'), 'utf8')), 'report.json');
    assert.deepEqual(report.tasks.map((t) => t.task), ['sst2', 'mrpc', 'stsb']);
    assert.deepEqual(report.rows.map((r) => r.id), ['bert/fp32', 'bert/int8-dynamic']);
    for (const [task, checkpoint] of [['sst2', cls], ['mrpc', mrpc], ['stsb', regression]] as const) {
      const converted = path.join(tempDir(), 'converted');
      await convert({ source: { kind: 'checkpoint', dir: checkpoint }, outDir: converted, validate: false });
      const taskReport = report.taskReports.find((t) => t.task === task)?.report;
      for (const row of report.rows) {
        const cell = row.cells.find((c) => c.task === task);
        const variant = taskReport?.variants.find((v) => v.variant === row.variant);
        assert.ok(cell?.state === 'completed' && variant?.state === 'completed', `${row.id} ${task}`);
        const modelFile = row.variant === 'fp32' ? undefined : path.join(root, 'cache', variant.file);
        const direct = await evaluate({ modelDir: converted, ...(modelFile ? { modelFile } : {}), task, dataDir: BUNDLED_GLUE_DIR, subset: SUBSET });
        const official = direct.metrics.filter((m) => !['acc_and_f1', 'pearson_and_spearman'].includes(m.key));
        assert.deepEqual(cell.metrics.map((m) => m.key), official.map((m) => m.key), `${row.id} ${task}`);
        cell.metrics.forEach((m, i) => {
          assert.ok(Math.abs(m.value - (official[i]?.value ?? NaN)) < 1e-9, `${row.id} ${task} ${m.key}: ${m.value} vs ${official[i]?.value}`);
          assert.equal(m.examples, 24);
          assert.ok(Math.abs(m.ci95Low - (official[i]?.interval95.low ?? NaN)) < 1e-9);
        });
        const score = official.reduce((a, m) => a + m.value, 0) / official.length;
        assert.ok(Math.abs((cell.score ?? NaN) - score) < 1e-12);
      }
    }
    for (const file of ['report.json', 'report.md', 'report.html', 'report.csv']) assert.ok(fs.statSync(path.join(three.reportDir, file)).size > 0);
  });
});
