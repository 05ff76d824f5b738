/**
 * The links and heading anchors of a Markdown page, as GitHub renders them: enough to check that a
 * page's relative links still point at files and headings after sections move between pages.
 */

export interface MarkdownLink {
  readonly target: string;
  /** 1-based, for the failure message. */
  readonly line: number;
}

const FENCE = /^\s*(```|~~~)/;
/** A code span may wrap onto the next line but not cross a blank line (a new paragraph). */
const CODE_SPAN = /`(?:[^`\n]|\n(?![ \t]*\n))*`/g;
/** Link text may wrap across lines, as it does in prose wrapped at 100 columns. */
const INLINE_LINK = /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const HEADING = /^#{1,6}\s+(.*?)\s*#*\s*$/;

/** The page with fenced code blocks blanked, line breaks kept: a `#` inside a ```sh block is a comment, not a heading. */
function proseOnly(markdown: string): string {
  let fenced = false;
  return markdown.split('\n').map((text) => {
    if (FENCE.test(text)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : text;
  }).join('\n');
}

/**
 * GitHub's anchor for a heading: the rendered text lower-cased, every character but letters,
 * digits, `_`, `-` and spaces dropped (so backticks and link brackets go), each space a `-`.
 */
export function githubAnchor(heading: string): string {
  const rendered = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  return rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

/** Every heading's anchor; a repeated heading gets GitHub's `-1`, `-2`, ... suffixes. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const text of proseOnly(markdown).split('\n')) {
    const heading = HEADING.exec(text)?.[1];
    if (heading === undefined) continue;
    const base = githubAnchor(heading);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Every inline link and image target outside code (fenced blocks and `code spans`). */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const prose = proseOnly(markdown).replace(CODE_SPAN, (span) => span.replace(/[^\n]/g, ' '));
  return [...prose.matchAll(INLINE_LINK)].map((m) => ({
    target: m[1] ?? '',
    line: prose.slice(0, m.index).split('\n').length,
  }));
}
