import path from 'node:path';
import type { Command } from 'commander';
import { mergeReports } from '../report/merge.js';
import { readReport } from '../report/read-report.js';
import { writeReport } from '../report/write-report.js';

interface MergeFlags { output: string }

export function addMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('merge the shards of a compare (--shard K/N), and the same compare on other machines, into one report: a hardware matrix'
      + ' of latency and memory per environment; refuses reports of different settings; writes <dir>/report.{json,md,html,csv}')
    .argument('<reports...>', 'report.json files written by albench compare (partial or whole)')
    .requiredOption('-o, --output <dir>', 'the merged report folder (replaced if it holds an earlier report)')
    .action(async (files: string[], o: MergeFlags) => {
      const report = mergeReports(files.map((file) => ({ report: readReport(file), name: file })));
      const target = path.resolve(o.output);
      const dir = await writeReport(report, path.dirname(target), path.basename(target));
      const m = report.matrix;
      const disagreeing = m?.accuracy.filter((a) => !a.agrees).length ?? 0;
      const lines = [
        `merged ${files.length} report${files.length === 1 ? '' : 's'}: ${report.variants.length} variants in ${m?.environments.length ?? 1} environment(s)`,
        ...(m?.latencyNotComparable ?? []).map((c) => `latency not comparable in E${c.env + 1}: ${c.reason}`),
        ...(disagreeing > 0 ? [`${disagreeing} variant(s) give different results in different environments: see the report's accuracy check`] : []),
        `wrote ${path.join(dir, 'report.{json,md,html,csv}')}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
