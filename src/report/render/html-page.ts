import { escapeXml as esc } from './xml.js';

/**
 * One self-contained HTML page (inline CSS, no script, no external font), shared by report.html and
 * the suite's report.html; `style` adds a page's own rules to the common ones.
 */
export function htmlPage(title: string, body: string, style = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${BASE_STYLE}${style}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const BASE_STYLE = `
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 24px; margin: 8px 0; } h2 { font-size: 18px; margin: 28px 0 8px; }
.settings, .rule, footer p { color: #444; }
figure { margin: 16px 0; max-width: 800px; }
figcaption { color: #444; font-size: 13px; margin-top: 4px; }
svg.chart { width: 100%; height: auto; display: block; border: 1px solid #ddd; background: #fff; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.recommendation { background: #fff; border-left: 4px solid #0072B2; padding: 8px 12px; }
`;

/** A plain table (header, rows of text, which columns are numbers), every cell escaped, in its scrolling wrapper. */
export function htmlTable(t: {
  readonly header: readonly string[]; readonly rows: ReadonlyArray<readonly string[]>; readonly numeric: readonly boolean[];
}): string {
  const head = `<tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${t.numeric[i] === true ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`);
  return `<div class="table-wrap"><table><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}
