import type { Command } from 'commander';
import { DEFAULT_THRESHOLDS, hasRegression } from '../report/regress.js';
import { runRegress } from '../report/run-regress.js';
import { nonNegative } from './options.js';

interface RegressFlags { baseline: string; current: string; maxAccuracyDrop: number; maxLatencyIncrease: number; maxSizeIncrease: number; junit?: string }

const LATENCY_HELP = 'largest allowed p50 increase, in percent (only increases beyond the recorded noise count)';

export function addRegressCommand(program: Command): void {
  program
    .command('regress')
    .description('compare a report with a baseline report; exit 0 within thresholds, 1 when one is crossed, 2 on bad input')
    .requiredOption('--baseline <file>', 'report.json to compare against (e.g. one committed in the repo)')
    .requiredOption('--current <file>', 'report.json of this run')
    .option(
      '--max-accuracy-drop <points>', 'largest allowed drop of the first metric, in points',
      nonNegative('--max-accuracy-drop'), DEFAULT_THRESHOLDS.maxAccuracyDropPoints,
    )
    .option('--max-latency-increase <percent>', LATENCY_HELP, nonNegative('--max-latency-increase'), DEFAULT_THRESHOLDS.maxLatencyIncreasePercent)
    .option(
      '--max-size-increase <percent>', 'largest allowed file size increase, in percent',
      nonNegative('--max-size-increase'), DEFAULT_THRESHOLDS.maxSizeIncreasePercent,
    )
    .option('--junit <file>', 'also write the checks as JUnit XML')
    .action((o: RegressFlags) => {
      const stepSummary = process.env.GITHUB_STEP_SUMMARY;
      const { result, markdown } = runRegress({
        baselineFile: o.baseline, currentFile: o.current,
        thresholds: { maxAccuracyDropPoints: o.maxAccuracyDrop, maxLatencyIncreasePercent: o.maxLatencyIncrease, maxSizeIncreasePercent: o.maxSizeIncrease },
        ...(o.junit ? { junitFile: o.junit } : {}), ...(stepSummary ? { stepSummaryFile: stepSummary } : {}),
      });
      process.stdout.write(markdown);
      process.exitCode = hasRegression(result) ? 1 : 0;
    });
}
