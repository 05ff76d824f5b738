import path from 'node:path';
import { compactJson } from './model/report-json.js';
import { checkReportName, writeReportFolder } from './write-report.js';
import { renderSuiteCsv } from './suite/csv.js';
import { renderSuiteHtml } from './suite/html.js';
import { validateSuiteReport } from './model/suite-schema.js';
import { renderSuiteMarkdown } from './suite/markdown.js';
import type { SuiteReport } from './model/suite-types.js';

/**
 * Writes `<reportsDir>/<name>/report.{json,md,html,csv}` for a suite, all or none, as writeReport
 * does for one task; the JSON is validated first against the suite schema.
 */
export async function writeSuiteReport(report: SuiteReport, reportsDir: string, name: string): Promise<string> {
  checkReportName(name, reportsDir);
  const target = path.join(reportsDir, name);
  const json = compactJson(report);
  validateSuiteReport(JSON.parse(json), path.join(target, 'report.json'));
  return writeReportFolder(target, {
    'report.json': json, 'report.md': renderSuiteMarkdown(report), 'report.html': renderSuiteHtml(report), 'report.csv': renderSuiteCsv(report),
  });
}
