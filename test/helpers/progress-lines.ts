/**
 * A command's stderr without the progress lines it prints off a terminal (`[1.2s] reading checkpoint`),
 * so a test can hold the rest (warnings, the error line) to exactly what it expects.
 */
export function withoutProgress(stderr: string): string {
  return stderr.replace(/^\[\d+\.\ds\] [^\n]*\n/gm, '');
}
