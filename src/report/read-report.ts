import fs from 'node:fs';
import { ReportError } from '../errors.js';
import { validateReport } from './model/json-schema.js';
import { validateSuiteReport } from './model/suite-schema.js';
import type { SuiteReport } from './model/suite-types.js';
import type { Report } from './model/types.js';
import { jsonSyntaxProblem } from '../util/safe-text.js';

/** Reads and validates a report.json written by `albench compare`. */
export function readReport(file: string): Report {
  return validateReport(readReportJson(file), file);
}

/** A report.json of either kind: a suite's (compare --suite) or one task's. */
export type AnyReport = { readonly kind: 'suite'; readonly report: SuiteReport } | { readonly kind: 'task'; readonly report: Report };

export function readAnyReport(file: string): AnyReport {
  const json = readReportJson(file);
  if (typeof json === 'object' && json !== null && 'suiteSchemaVersion' in json) return { kind: 'suite', report: validateSuiteReport(json, file) };
  return { kind: 'task', report: validateReport(json, file) };
}

function readReportJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ReportError(file, `cannot be read (${code}); give the path of a report.json written by albench compare`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ReportError(file, jsonSyntaxProblem(e));
  }
  return json;
}
