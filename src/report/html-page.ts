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
