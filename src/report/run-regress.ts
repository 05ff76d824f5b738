import fs from 'node:fs';
import { IoError, ReportError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { renderJunit } from './render/junit.js';
import { readReport } from './read-report.js';
import type { DifferenceKind } from './verdicts/comparable.js';
import { regress, type RegressResult, type RegressThresholds } from './verdicts/regress.js';
import { renderRegressMarkdown } from './render/regress-markdown.js';

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
  const result = regress(readReport(req.baselineFile), readReport(req.currentFile), req.thresholds, { accept: req.accept ?? [] });
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
