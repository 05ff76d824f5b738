import fs from 'node:fs';
import path from 'node:path';
import { writeDirAtomic } from '../util/atomic.js';
import { ownedFolder } from '../util/owned-folder.js';
import { compactJson } from './report-json.js';
import { REPORT_FILES, checkReportName } from './write-report.js';
import { renderSuiteCsv } from './suite-csv.js';
import { renderSuiteHtml } from './suite-html.js';
import { validateSuiteReport } from './suite-json-schema.js';
import { renderSuiteMarkdown } from './suite-markdown.js';
import type { SuiteReport } from './suite-types.js';

/**
 * Writes `<reportsDir>/<name>/report.{json,md,html,csv}` for a suite, all or none, as writeReport
 * does for one task; the JSON is validated first against the suite schema.
 */
export async function writeSuiteReport(report: SuiteReport, reportsDir: string, name: string): Promise<string> {
  checkReportName(name, reportsDir);
  const target = path.join(reportsDir, name);
  const json = compactJson(report);
  validateSuiteReport(JSON.parse(json), path.join(target, 'report.json'));
  const contents: Record<(typeof REPORT_FILES)[number], string> = {
    'report.json': json,
    'report.md': renderSuiteMarkdown(report),
    'report.html': renderSuiteHtml(report),
    'report.csv': renderSuiteCsv(report),
  };
  await writeDirAtomic(target, foreignInReportFolder, async (dir) => {
    for (const file of REPORT_FILES) fs.writeFileSync(path.join(dir, file), contents[file]);
  });
  return target;
}

const foreignInReportFolder = ownedFolder('report.json', (entry) => (REPORT_FILES as readonly string[]).includes(entry));
