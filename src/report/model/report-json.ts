import type { Report } from './types.js';

/** An array of numbers as JSON.stringify indents it: one number a line. A raw newline never occurs inside a JSON string. */
const INDENTED_NUMBERS = /\[\n(?: *-?\d[\d.eE+-]*,?\n)+ *\]/g;

/**
 * report.json's text: indented like JSON.stringify(report, null, 2), except that arrays of numbers
 * (the per-row predictions, hundreds or thousands long) stay on one line each, so the file can still be read and diffed.
 */
export function reportJson(report: Report): string {
  return compactJson(report);
}

/** The same layout for any JSON document that embeds reports (the suite report). */
export function compactJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(INDENTED_NUMBERS, (numbers) => numbers.replace(/\s+/g, ''))}\n`;
}
