import { readGlueSplit } from '../../glue/read-split.js';
import { selectSubset } from '../../glue/subset.js';
import type { GlueTaskId } from '../../glue/tasks.js';
import { officialMetrics } from '../../report/suite/average.js';
import { assembleSuiteReport } from '../../report/suite/assemble.js';
import { partialSuiteReport } from '../../report/suite/partial.js';
import type { SuiteReport } from '../../report/model/suite-types.js';
import { writeSuiteReport } from '../../report/write-suite-report.js';
import type { VariantName } from '../../report/model/types.js';
import { checkReportName } from '../../report/write-report.js';
import { prefixedProgress, silentProgress } from '../../util/progress.js';
import { openCompareSession } from '../compare.js';
import { COMPARE_DEFAULTS, type CompareOptions } from '../compare-options.js';
import { classifyModelArg } from '../model-arguments.js';
import { scoredSubset } from '../calibration-slice.js';
import { checkCacheFolder, checkReplaceable, checkRunOptions } from '../preflight.js';
import { runCompare, type CompareRun } from '../run-compare.js';
import { StepClock } from '../step-clock.js';
import { checkCompareRounds } from '../time-variants.js';
import { suiteRuns } from './suite-shard.js';
import type { SuiteSpec, SuiteTaskSpec } from './suite-spec.js';

export interface SuiteOptions extends Omit<CompareOptions, 'models' | 'task' | 'subset' | 'variants'> {
  readonly suite: SuiteSpec;
  /** The suite file's variants when it names them, else compare's --variants. */
  readonly variants: readonly VariantName[];
}

interface SuiteRun {
  readonly family: string;
  readonly task: GlueTaskId;
  readonly result: CompareRun;
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

/** What can be checked before any work: compare's options, every checkpoint named, every task's dev data, the report folder. */
function preflightSuite(opts: SuiteOptions): void {
  checkCompareRounds(opts.rounds ?? COMPARE_DEFAULTS.rounds, opts.reuseTimings ?? false);
  checkRunOptions(opts, COMPARE_DEFAULTS);
  for (const family of opts.suite.families) for (const model of family.models) classifyModelArg(model);
  for (const t of opts.suite.tasks) selectSubset(readGlueSplit(t.task, 'dev', opts.dataDir), scoredSubset(t.subset, t.task, opts.dataDir, opts.variants));
  checkReportName(opts.name, opts.reportsDir);
  checkReplaceable(opts.reportsDir, opts.name);
  checkCacheFolder(opts.cacheDir);
}

/**
 * `albench compare --suite`: one compare per (family checkpoint, task), each with its own cached
 * steps, so a checkpoint, variant and task already in the cache is neither converted, quantized nor
 * evaluated again, and adding a task runs only that task's checkpoints; timings follow compare's
 * rule (measured afresh unless --reuse-timings). The runs share one opened cache and one measured
 * machine; their reports are not written on their own but kept whole inside the one suite report. With --shard K/N only shard K's slice of the
 * (family, task) runs is made, and the report is partial (albench merge joins the shards).
 */
export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const started = performance.now();
  preflightSuite(opts);
  const progress = opts.progress ?? silentProgress;
  // A suite shards whole (family, task) runs; each of its compares is whole.
  const { shard, ...compareOpts } = opts;
  const session = await openCompareSession(compareOpts);
  const runs: SuiteRun[] = [];
  for (const r of suiteRuns(opts.suite, shard)) {
    const t = opts.suite.tasks[r.taskIndex] as SuiteTaskSpec;
    const clock = new StepClock(prefixedProgress(progress, `${r.family} ${t.task.name}`));
    const result = await runCompare({ ...compareOpts, models: [r.model], subset: t.subset, variants: opts.variants }, t.task, session, clock);
    clock.done();
    runs.push({ family: r.family, task: r.task, result });
  }
  const { batchSizes, sequenceLengths, constraints } = opts;
  const whole = assembleSuiteReport({
    name: opts.name,
    settings: { variants: opts.variants, batchSizes, sequenceLengths, warmupIterations: opts.warmupIterations, constraints },
    tasks: opts.suite.tasks.map((t) => ({
      task: t.task.id, name: t.task.name, subset: scoredSubset(t.subset, t.task, opts.dataDir, opts.variants), metrics: officialMetrics(t.task.id),
    })),
    families: opts.suite.families.map((f) => f.name),
    runs: runs.map((r) => ({ family: r.family, task: r.task, report: r.result.report })),
  });
  const report = shard === undefined
    ? whole
    : partialSuiteReport(whole, { index: shard.index, count: shard.count, runs: runs.map((r) => ({ family: r.family, task: r.task })) });
  const reportDir = await writeSuiteReport(report, opts.reportsDir, opts.name);
  const sum = (f: (r: CompareRun) => number) => runs.reduce((a, r) => a + f(r.result), 0);
  return {
    report, reportDir, runs, cacheHits: sum((r) => r.cacheHits), cacheMisses: sum((r) => r.cacheMisses), failures: sum((r) => r.failures),
    seconds: (performance.now() - started) / 1000,
  };
}
