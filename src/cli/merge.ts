import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { envName } from '../report/render/env-labels.js';
import { mergeReports, type MergeInput } from '../report/merge/merge.js';
import { readAnyReport, type AnyReport } from '../report/read-report.js';
import { mergeSuiteReports, type SuiteMergeInput } from '../report/suite/merge.js';
import { writeSuiteReport } from '../report/write-suite-report.js';
import { writeReport } from '../report/write-report.js';

interface MergeFlags { output: string }

type Read = AnyReport & { readonly file: string };

/** One kind at a time: suite shards join into a suite report, task reports into a task report. */
function splitKinds(read: readonly Read[]): { suites: SuiteMergeInput[]; tasks: MergeInput[] } {
  const suites = read.flatMap((r): SuiteMergeInput[] => (r.kind === 'suite' ? [{ report: r.report, name: r.file }] : []));
  const tasks = read.flatMap((r): MergeInput[] => (r.kind === 'task' ? [{ report: r.report, name: r.file }] : []));
  if (suites.length > 0 && tasks.length > 0) {
    throw new UsageError(`merge: ${suites.map((s) => s.name).join(', ')} ${suites.length === 1 ? 'is a suite report' : 'are suite reports'}`
      + ` (compare --suite) but ${tasks.map((t) => t.name).join(', ')} ${tasks.length === 1 ? 'is a single-task report' : 'are single-task reports'};`
      + ' merge the shards of one kind at a time');
  }
  return { suites, tasks };
}

async function mergeSuites(suites: readonly SuiteMergeInput[], target: string): Promise<void> {
  const report = mergeSuiteReports(suites);
  const dir = await writeSuiteReport(report, path.dirname(target), path.basename(target));
  process.stdout.write(`merged ${suites.length} suite shard${suites.length === 1 ? '' : 's'}: ${report.taskReports.length} compare runs, `
    + `${report.rows.length} rows\nwrote ${path.join(dir, 'report.{json,md,html,csv}')}\n`);
}

export function addMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('merge the shards of a compare (--shard K/N), and the same compare on other machines, into one report: a hardware matrix'
      + ' of latency and memory per environment; or the shards of a compare --suite into its suite report;'
      + ' refuses reports of different settings; writes <dir>/report.{json,md,html,csv}')
    .argument('<reports...>', 'report.json files written by albench compare (partial or whole), or by compare --suite --shard K/N')
    .requiredOption('-o, --output <dir>', 'the merged report folder (replaced if it holds an earlier report)')
    .action(async (files: string[], o: MergeFlags) => {
      const { suites, tasks } = splitKinds(files.map((file) => ({ file, ...readAnyReport(file) })));
      const target = path.resolve(o.output);
      if (suites.length > 0) {
        await mergeSuites(suites, target);
        return;
      }
      const report = mergeReports(tasks);
      const dir = await writeReport(report, path.dirname(target), path.basename(target));
      const m = report.matrix;
      const disagreeing = m?.accuracy.filter((a) => !a.agrees).length ?? 0;
      const lines = [
        `merged ${files.length} report${files.length === 1 ? '' : 's'}: ${report.variants.length} variants in ${m?.environments.length ?? 1} environment(s)`,
        ...(m?.latencyNotComparable ?? []).map((c) => `latency not comparable in ${envName(c.env)}: ${c.reason}`),
        ...(disagreeing > 0 ? [`${disagreeing} variant(s) give different results in different environments: see the report's accuracy check`] : []),
        `wrote ${path.join(dir, 'report.{json,md,html,csv}')}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
