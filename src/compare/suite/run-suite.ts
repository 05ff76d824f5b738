import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGlueSplit } from '../../glue/read-split.js';
import { selectSubset } from '../../glue/subset.js';
import type { GlueTaskId } from '../../glue/tasks.js';
import { officialMetrics } from '../../report/suite-average.js';
import { assembleSuiteReport } from '../../report/suite-assemble.js';
import { partialSuiteReport } from '../../report/suite-partial.js';
import type { SuiteReport } from '../../report/suite-types.js';
import { writeSuiteReport } from '../../report/suite-write.js';
import type { VariantName } from '../../report/types.js';
import { checkReportName } from '../../report/write-report.js';
import { prefixedProgress, silentProgress } from '../../util/progress.js';
import { compare, type CompareOptions, type CompareResult } from '../compare.js';
import { classifyModelArg } from '../model-names.js';
import { checkReplaceable } from '../preflight.js';
import { suiteRuns } from './suite-shard.js';
import type { SuiteSpec, SuiteTaskSpec } from './suite-spec.js';

export interface SuiteOptions extends Omit<CompareOptions, 'models' | 'task' | 'subset' | 'variants'> {
  readonly suite: SuiteSpec;
  /** The suite file's variants when it names them, else compare's --variants. */
  readonly variants: readonly VariantName[];
}

export interface SuiteRun {
  readonly family: string;
  readonly task: GlueTaskId;
  readonly result: CompareResult;
}

export interface SuiteResult {
  readonly report: SuiteReport;
  readonly reportDir: string;
  /** One compare per (family, task), in the order they ran (task by task). */
  readonly runs: readonly SuiteRun[];
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly failures: number;
  readonly seconds: number;
}

/** What can be checked before any work: every checkpoint named, every task's dev data, the report folder. */
function preflightSuite(opts: SuiteOptions): void {
  for (const family of opts.suite.families) for (const model of family.models) classifyModelArg(model);
  for (const t of opts.suite.tasks) selectSubset(readGlueSplit(t.task, 'dev', opts.dataDir), t.subset);
  checkReportName(opts.name, opts.reportsDir);
  checkReplaceable(opts.reportsDir, opts.name);
}

/**
 * `albench compare --suite`: one compare per (family checkpoint, task), each with its own cached
 * steps, so a checkpoint, variant and task already in the cache is neither converted, quantized nor
 * evaluated again, and adding a task runs only that task's checkpoints; timings follow compare's
 * rule (measured afresh unless --reuse-timings). The per-run reports are written to a scratch
 * folder and kept whole inside the one suite report. With --shard K/N only shard K's slice of the
 * (family, task) runs is made, and the report is partial (albench merge joins the shards).
 */
export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const started = performance.now();
  preflightSuite(opts);
  const progress = opts.progress ?? silentProgress;
  // A suite shards whole (family, task) runs; each of its compares is whole.
  const { shard, ...compareOpts } = opts;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-suite-'));
  const runs: SuiteRun[] = [];
  try {
    for (const r of suiteRuns(opts.suite, shard)) {
      const t = opts.suite.tasks[r.taskIndex] as SuiteTaskSpec;
      const result = await compare({
        ...compareOpts, models: [r.model], task: r.task, subset: t.subset, variants: opts.variants,
        reportsDir: scratch, name: `${r.family}-${r.task}`, progress: prefixedProgress(progress, `${r.family} ${t.task.name}`),
      });
      runs.push({ family: r.family, task: r.task, result });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const { batchSizes, sequenceLengths, constraints } = opts;
  const whole = assembleSuiteReport({
    name: opts.name,
    settings: { variants: opts.variants, batchSizes, sequenceLengths, warmupIterations: opts.warmupIterations, constraints },
    tasks: opts.suite.tasks.map((t) => ({ task: t.task.id, name: t.task.name, subset: t.subset, metrics: officialMetrics(t.task.id) })),
    families: opts.suite.families.map((f) => f.name),
    runs: runs.map((r) => ({ family: r.family, task: r.task, report: r.result.report })),
  });
  const report = shard === undefined
    ? whole
    : partialSuiteReport(whole, { index: shard.index, count: shard.count, runs: runs.map((r) => ({ family: r.family, task: r.task })) });
  const reportDir = await writeSuiteReport(report, opts.reportsDir, opts.name);
  const sum = (f: (r: CompareResult) => number) => runs.reduce((a, r) => a + f(r.result), 0);
  return {
    report, reportDir, runs, cacheHits: sum((r) => r.cacheHits), cacheMisses: sum((r) => r.cacheMisses), failures: sum((r) => r.failures),
    seconds: (performance.now() - started) / 1000,
  };
}
