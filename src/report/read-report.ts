import fs from 'node:fs';
import { ReportError } from '../errors.js';
import { validateReport } from './json-schema.js';
import type { Report } from './types.js';
import { jsonSyntaxProblem } from '../util/safe-text.js';

/** Reads and validates a report.json written by `albench compare`. */
export function readReport(file: string): Report {
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
  return validateReport(json, file);
}
