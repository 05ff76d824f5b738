import { InvalidArgumentError, Option, type Command } from 'commander';
import { DIFFERENCE_KINDS, type DifferenceKind } from '../report/verdicts/comparable.js';
import { DEFAULT_THRESHOLDS, regressExitCode } from '../report/verdicts/regress.js';
import { runRegress } from '../report/run-regress.js';
import { nonNegative, positiveNumber } from './options.js';

interface RegressFlags {
  baseline: string; current: string; maxAccuracyDrop: number; margin?: number; maxLatencyIncrease: number; maxSizeIncrease: number; junit?: string;
  accept: DifferenceKind[];
}

const differenceKinds = (value: string): DifferenceKind[] => {
  const kinds = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(DIFFERENCE_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) throw new InvalidArgumentError(`a comma-separated list of: ${DIFFERENCE_KINDS.join(', ')}`);
  return kinds as DifferenceKind[];
};

const ACCEPT_HELP = `compare reports that differ in these (comma-separated: ${DIFFERENCE_KINDS.join(', ')}); any other difference exits 2`;

const MARGIN_HELP = 'instead of --max-accuracy-drop: pass only when the 95% paired interval of the task score\'s drop lies below this many points,'
  + ' fail when it lies above, else INCONCLUSIVE (exit 3) with about how many more rows would decide';

const LATENCY_HELP = 'largest allowed p50 increase, in percent (a larger one fails only when a one-sided rank test finds the round p50s higher, p <= 0.05)';

export function addRegressCommand(program: Command): void {
  program
    .command('regress')
    .description('compare a report with a baseline report; exit 0 within thresholds, 1 when one is crossed, 3 when --margin cannot decide'
      + ' (and nothing failed), 2 on bad input or incomparable reports')
    .requiredOption('--baseline <file>', 'report.json to compare against (e.g. one committed in the repo)')
    .requiredOption('--current <file>', 'report.json of this run')
    .option(
      '--max-accuracy-drop <points>', 'largest allowed drop of the task\'s score, in points',
      nonNegative('--max-accuracy-drop'), DEFAULT_THRESHOLDS.maxAccuracyDropPoints,
    )
    .addOption(new Option('--margin <points>', MARGIN_HELP).argParser(positiveNumber('--margin')).conflicts('maxAccuracyDrop'))
    .option('--max-latency-increase <percent>', LATENCY_HELP, nonNegative('--max-latency-increase'), DEFAULT_THRESHOLDS.maxLatencyIncreasePercent)
    .option(
      '--max-size-increase <percent>', 'largest allowed file size increase, in percent',
      nonNegative('--max-size-increase'), DEFAULT_THRESHOLDS.maxSizeIncreasePercent,
    )
    .option('--accept <differences>', ACCEPT_HELP, differenceKinds, [])
    .option('--junit <file>', 'also write the checks as JUnit XML')
    .action((o: RegressFlags) => {
      const stepSummary = process.env.GITHUB_STEP_SUMMARY;
      const { result, markdown } = runRegress({
        baselineFile: o.baseline, currentFile: o.current,
        thresholds: {
          maxAccuracyDropPoints: o.maxAccuracyDrop, maxLatencyIncreasePercent: o.maxLatencyIncrease, maxSizeIncreasePercent: o.maxSizeIncrease,
          ...(o.margin === undefined ? {} : { accuracyMarginPoints: o.margin }),
        },
        accept: o.accept,
        ...(o.junit ? { junitFile: o.junit } : {}), ...(stepSummary ? { stepSummaryFile: stepSummary } : {}),
      });
      process.stdout.write(markdown);
      process.exitCode = regressExitCode(result);
    });
}
