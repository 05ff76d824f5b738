/**
 * Text from reports (error messages, model ids, paths) must not turn into Markdown: a `|` would
 * split a table cell, a `<` could open HTML in a GitHub comment. CommonMark lets a backslash
 * escape any ASCII punctuation, so escaping the active ones is enough.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|&~#!]/g, (c) => `\\${c}`);
}

/** A GFM table; every cell is escaped. Columns are left-aligned unless `rightAligned` says otherwise. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const rule = `|${header.map((_, i) => (rightAligned[i] === true ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
