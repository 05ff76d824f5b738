import { matrixView, partialBanner } from './merge-view.js';
import type { Report } from './types.js';
import { escapeXml as esc } from './xml.js';

const list = (items: readonly string[], cls = ''): string =>
  `<ul${cls === '' ? '' : ` class="${cls}"`}>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;

/** report.html's banner on a partial report and its hardware-matrix section on a merged one; empty strings otherwise. */
export function mergeSectionsHtml(report: Report): { banner: string; section: string } {
  const text = partialBanner(report);
  const banner = text === undefined ? '' : `<p class="partial"><strong>${esc(text)}</strong></p>`;
  const view = matrixView(report);
  if (view === undefined) return { banner, section: '' };
  const head = `<tr>${view.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = view.rows.map((r) => `<tr>${r.map((c, i) => `<td${view.numeric[i] ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`);
  const section = [
    `<section class="matrix"><h2>${esc(view.title)}</h2>`,
    list(view.environments),
    `<div class="table-wrap"><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`,
    view.caveats.length > 0 ? `<h3>Latency caveats</h3>${list(view.caveats, 'caveats')}` : '',
    `<h3>Recommendation per environment</h3>${list(view.recommendations)}`,
    view.accuracy.length > 0 ? `<h3>Accuracy across environments (same variant file)</h3>${list(view.accuracy)}` : '',
    `<h3>Runs merged</h3>${list(view.runs)}</section>`,
  ];
  return { banner, section: section.join('\n') };
}
