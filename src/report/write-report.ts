import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeDirAtomic } from '../util/atomic.js';
import { ownedFolder } from '../util/owned-folder.js';
import { renderCsv } from './render/csv.js';
import { renderHtml } from './render/html.js';
import { renderMarkdown } from './render/markdown.js';
import { reportJson } from './model/report-json.js';
import { validateReport } from './model/json-schema.js';
import type { Report } from './model/types.js';

export const REPORT_FILES = ['report.json', 'report.md', 'report.html', 'report.csv'] as const;

/** A report's folder name: letters, digits, ".", "_" or "-", starting with a letter or digit. */
export function checkReportName(name: string, reportsDir: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError(`report name "${name}" must be letters, digits, ".", "_" or "-" (it becomes a folder under ${reportsDir})`);
  }
}

/**
 * Writes `<reportsDir>/<name>/` with the four report files, all or none: the folder is built under
 * a temporary name and swapped in. The report is validated first (a NaN would otherwise become
 * null in JSON), so every report.json on disk is one `albench regress` can read.
 */
export async function writeReport(report: Report, reportsDir: string, name: string): Promise<string> {
  checkReportName(name, reportsDir);
  const target = path.join(reportsDir, name);
  const json = reportJson(report);
  validateReport(JSON.parse(json), path.join(target, 'report.json'));
  return writeReportFolder(target, {
    'report.json': json, 'report.md': renderMarkdown(report), 'report.html': renderHtml(report), 'report.csv': renderCsv(report),
  });
}

/** The four files of a report (a task's or a suite's), rendered. */
type ReportFiles = Record<(typeof REPORT_FILES)[number], string>;

/** Writes the files into `target`, all or none, replacing only an earlier report's folder. */
export async function writeReportFolder(target: string, contents: ReportFiles): Promise<string> {
  await writeDirAtomic(target, foreignInReportFolder, async (dir) => {
    for (const file of REPORT_FILES) fs.writeFileSync(path.join(dir, file), contents[file]);
  });
  return target;
}

/** A folder holding only report files (report.json among them) is an earlier report we may replace. */
const foreignInReportFolder = ownedFolder('report.json', (entry) => (REPORT_FILES as readonly string[]).includes(entry));

/** A folder albench may replace with a report: its own report files and nothing else. */
export function isReportFolder(dir: string): boolean {
  return foreignInReportFolder(dir).length === 0;
}
