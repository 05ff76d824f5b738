import { safeLine } from '../../util/safe-text.js';

/**
 * Text from reports (error messages, model ids, paths) must not turn into Markdown: a `|` would
 * split a table cell, a `<` could open HTML in a GitHub comment, a line break (a lone CR too) would
 * end a heading or a table row. CommonMark lets a backslash escape any ASCII punctuation, so
 * escaping the active ones is enough; control characters and terminal escapes are dropped.
 */
export function escapeMarkdown(text: string): string {
  return safeLine(text).replace(/[\\`*_[\]<>|&~#!]/g, (c) => `\\${c}`);
}

/** A GFM table; every cell is escaped. Columns are left-aligned unless `rightAligned` says otherwise. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const rule = `|${header.map((_, i) => (rightAligned[i] === true ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
