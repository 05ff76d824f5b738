import { UsageError } from '../../errors.js';
import type { GlueTaskId } from '../../glue/tasks.js';
import { assembleSuiteReport } from './assemble.js';
import type { SuiteReport, SuiteRunReport } from '../model/suite-types.js';

export interface SuiteMergeInput {
  readonly report: SuiteReport;
  /** The file it came from, for messages. */
  readonly name: string;
}

/** What the shards of one suite must share: a difference in any of these means they are shards of different suites. */
const SAME: ReadonlyArray<[string, (r: SuiteReport) => unknown]> = [
  ['suite name', (r) => r.name],
  ['albench version', (r) => r.albenchVersion],
  ['settings', (r) => r.settings],
  ['tasks and subsets', (r) => r.tasks],
  ['families', (r) => r.families.map((f) => f.id)],
  ['shard count', (r) => r.shard?.count],
];

function checkSameSuite(inputs: readonly SuiteMergeInput[]): void {
  const first = inputs[0];
  if (first === undefined) throw new UsageError('merge: give at least one suite report');
  for (const input of inputs) {
    if (input.report.shard === undefined) {
      throw new UsageError(`merge: ${input.name} is a whole suite report, not a shard; merge joins the partial reports of compare --suite --shard K/N`);
    }
    for (const [what, of] of SAME) {
      const mine = JSON.stringify(of(input.report));
      const theirs = JSON.stringify(of(first.report));
      if (mine !== theirs) {
        throw new UsageError(`merge: ${input.name} and ${first.name} are shards of different suites: their ${what} differ (${mine} vs ${theirs})`);
      }
    }
  }
}

/** Each (family, task) run once, in the order an unsharded suite makes them (task by task, then family). */
function runsInOrder(inputs: readonly SuiteMergeInput[]): SuiteRunReport[] {
  const first = (inputs[0] as SuiteMergeInput).report;
  const found = new Map<string, { from: string; run: SuiteRunReport }>();
  for (const { report, name } of inputs) {
    for (const run of report.taskReports) {
      const key = `${run.family} ${run.task}`;
      const earlier = found.get(key);
      if (earlier !== undefined) throw new UsageError(`merge: the run ${key} is in both ${earlier.from} and ${name}; give each shard once`);
      found.set(key, { from: name, run });
    }
  }
  const order = first.tasks.flatMap((t) => first.families.map((f): [string, GlueTaskId] => [f.id, t.task]));
  const missing = order.filter(([family, task]) => !found.has(`${family} ${task}`)).map(([family, task]) => `${family} ${task}`);
  if (missing.length > 0) {
    const count = first.shard?.count ?? 0;
    const given = inputs.map((i) => i.report.shard?.index).join(', ');
    throw new UsageError(`merge: no shard holds the run(s) ${missing.join(', ')} (shards given: ${given} of ${count}); give every shard's report`);
  }
  return order.map(([family, task]) => (found.get(`${family} ${task}`) as { run: SuiteRunReport }).run);
}

/**
 * `albench merge` of the partial reports of one `compare --suite --shard K/N` run: the suite report
 * the unsharded run would write, assembled afresh from every shard's embedded task reports (so the
 * rows, averages, recommendation and claims cover the whole suite).
 */
export function mergeSuiteReports(inputs: readonly SuiteMergeInput[]): SuiteReport {
  checkSameSuite(inputs);
  const first = (inputs[0] as SuiteMergeInput).report;
  return assembleSuiteReport({
    name: first.name,
    settings: first.settings,
    tasks: first.tasks,
    families: first.families.map((f) => f.id),
    runs: runsInOrder(inputs),
  });
}
