/**
 * Text that came from a file (a model name in config.json, a folder name, an error quoting file
 * content) on its way to a terminal or a report. Terminal escape sequences are removed whole, so a
 * file cannot move the cursor, recolour or overwrite a line ("all checks passed"); every other C0/C1
 * control character is removed; line breaks become `\n` (multi-line text) or a space (one line).
 */
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*[\x07\x9c]?/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
const LINE_BREAK = /\r\n?|\n|\u2028|\u2029/g;

/** One line of text: escapes and controls removed, every line break (CRLF, lone CR, LF) a space. */
export function safeLine(text: string): string {
  return safeLines(text, ' ').replace(/\t/g, ' ');
}

/** Several lines: escapes and controls removed, tabs kept, every line break `newline` (`\n` unless told). */
export function safeLines(text: string, newline = '\n'): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(LINE_BREAK, newline);
}

/**
 * Why JSON.parse refused a file, without the file's bytes: V8 quotes the text around the error
 * ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"), which must not reach a message or a
 * report. Only the position, when V8 gives it, or an early end is kept.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input/.test(message)) return 'is not valid JSON (it ends early; is it truncated?)';
  const at = /\bposition (\d+)/.exec(message);
  return at === null ? 'is not valid JSON' : `is not valid JSON (error at character ${at[1]})`;
}
