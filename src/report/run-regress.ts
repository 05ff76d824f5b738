import fs from 'node:fs';
import { IoError, ReportError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { renderJunit } from './render/junit.js';
import { readReport } from './read-report.js';
import type { DifferenceKind } from './verdicts/comparable.js';
import { regress, type RegressResult, type RegressThresholds } from './verdicts/regress.js';
import { renderRegressMarkdown } from './render/regress-markdown.js';
import type { Report } from './model/types.js';

export interface RegressRequest {
  readonly baselineFile: string;
  readonly currentFile: string;
  readonly thresholds: RegressThresholds;
  /** Differences of what was measured to compare across anyway (`--accept`). */
  readonly accept?: readonly DifferenceKind[];
  readonly junitFile?: string;
  /** $GITHUB_STEP_SUMMARY: the summary is appended there, as GitHub Actions expects. */
  readonly stepSummaryFile?: string;
}

/** `albench regress` as one call: read both reports, compare, write the CI outputs, return the summary. */
export function runRegress(req: RegressRequest): { readonly result: RegressResult; readonly markdown: string } {
  const baseline = readReport(req.baselineFile);
  const current = readReport(req.currentFile);
  const compared = regress(baseline, current, req.thresholds, { accept: req.accept ?? [] });
  const note = deploymentNotGated(baseline, current);
  const result = note === undefined ? compared : { ...compared, warnings: [...compared.warnings, note] };
  const markdown = renderRegressMarkdown(result);
  const { junitFile, stepSummaryFile } = req;
  if (junitFile !== undefined) writeOutput(junitFile, () => writeFileAtomic(junitFile, renderJunit(result)));
  if (stepSummaryFile !== undefined) writeOutput(stepSummaryFile, () => fs.appendFileSync(stepSummaryFile, `${markdown}\n`));
  return { result, markdown };
}

function writeOutput(file: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    // The atomic writer already made the system error an IoError; the errno name it keeps is the useful part here.
    const original = e instanceof IoError && e.cause !== undefined ? e.cause : e;
    const code = (original as NodeJS.ErrnoException).code ?? String(original);
    throw new ReportError(file, `cannot be written (${code}); check that its folder exists and is writable`, original);
  }
}

/**
 * regress gates on completion, accuracy, latency and size only. Deployment figures (real-input cost,
 * cold start, throughput under load, tuned sessions) are reported, not gated: a load test's throughput is
 * one ladder rate, coarser than a threshold in percent, cold start hangs on the machine's page cache, and a
 * tuned setting is a choice among near-ties as often as not. It says so.
 */
function deploymentNotGated(baseline: Report, current: Report): string | undefined {
  const has = (r: Report) => r.deployment !== undefined;
  if (!has(baseline) && !has(current)) return undefined;
  const which = has(baseline) && has(current) ? 'Both reports have' : has(current) ? 'The current report has' : 'The baseline has';
  return `${which} deployment figures (real-input cost, cold start, throughput under load, tuned sessions); regress does not gate on them:`
    + ' compare their report.md sections by eye, with the load and spread each records.';
}
