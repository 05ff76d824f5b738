import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeDirAtomic } from '../util/atomic.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { reportJson } from './report-json.js';
import { validateReport } from './json-schema.js';
import type { Report } from './types.js';

export const REPORT_FILES = ['report.json', 'report.md', 'report.html', 'report.csv'] as const;

/**
 * Writes `<reportsDir>/<name>/` with the four report files, all or none: the folder is built under
 * a temporary name and swapped in. The report is validated first (a NaN would otherwise become
 * null in JSON), so every report.json on disk is one `albench regress` can read.
 */
export async function writeReport(report: Report, reportsDir: string, name: string): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`report name "${name}" must be letters, digits, ".", "_" or "-" (it becomes a folder under ${reportsDir})`);
  }
  const target = path.join(reportsDir, name);
  const json = reportJson(report);
  validateReport(JSON.parse(json), path.join(target, 'report.json'));
  const contents: Record<(typeof REPORT_FILES)[number], string> = {
    'report.json': json,
    'report.md': renderMarkdown(report),
    'report.html': renderHtml(report),
    'report.csv': renderCsv(report),
  };
  await writeDirAtomic(target, isReportFolder, async (dir) => {
    for (const file of REPORT_FILES) fs.writeFileSync(path.join(dir, file), contents[file]);
  });
  return target;
}

/** A folder holding only report files (report.json among them) is an earlier report we may replace. */
function isReportFolder(dir: string): boolean {
  const entries = fs.readdirSync(dir);
  return entries.includes('report.json') && entries.every((e) => (REPORT_FILES as readonly string[]).includes(e));
}
