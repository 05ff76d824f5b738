import { matrixView, partialBanner } from './matrix-view.js';
import type { Report } from '../model/types.js';
import { htmlTable } from './html-page.js';
import { escapeXml as esc } from './xml.js';

const list = (items: readonly string[], cls = ''): string =>
  `<ul${cls === '' ? '' : ` class="${cls}"`}>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;

/** report.html's banner on a partial report and its hardware-matrix section on a merged one; empty strings otherwise. */
export function mergeSectionsHtml(report: Report): { banner: string; section: string } {
  const text = partialBanner(report);
  const banner = text === undefined ? '' : `<p class="partial"><strong>${esc(text)}</strong></p>`;
  const view = matrixView(report);
  if (view === undefined) return { banner, section: '' };
  const section = [
    `<section class="matrix"><h2>${esc(view.title)}</h2>`,
    list(view.environments),
    htmlTable(view),
    view.caveats.length > 0 ? `<h3>Latency caveats</h3>${list(view.caveats, 'caveats')}` : '',
    `<h3>Recommendation per environment</h3>${list(view.recommendations)}`,
    view.accuracy.length > 0 ? `<h3>Accuracy across environments (same variant file)</h3>${list(view.accuracy)}` : '',
    `<h3>Runs merged</h3>${list(view.runs)}</section>`,
  ];
  return { banner, section: section.join('\n') };
}
