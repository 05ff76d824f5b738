import { tradeoffCharts } from './charts.js';
import { envLine, modelShape, NO_CLAIMS, recipeLines, recommendationTitle, settingsLine, shownSource } from '../model/describe.js';
import { deploymentSectionsHtml } from './deployment-sections.js';
import { mergeSectionsHtml } from './matrix-html.js';
import { modelTables, RECOMMENDED_MARK, type ModelTable } from './model-table.js';
import { sensitivitySectionsHtml } from './sensitivity-heatmap.js';
import type { ClaimCheck, FailedVariant, Recommendation, Report } from '../model/types.js';
import { chartFigure } from './svg-chart.js';
import { htmlPage } from './html-page.js';
import { TARGET_CARDS_STYLE, targetCardsHtml } from './target-cards.js';
import { escapeXml as esc } from './xml.js';

/**
 * report.html: one file that opens anywhere without network — inline CSS, inline SVG, no script,
 * no external font. Every piece of report text goes through esc().
 */
export function renderHtml(report: Report): string {
  const title = `albench compare: ${report.settings.task}`;
  const merged = mergeSectionsHtml(report);
  return htmlPage(title, `${merged.banner}
<p class="settings">${esc(settingsLine(report.settings))}</p>
${recommendationSection(report.recommendation)}
<section class="charts">
${tradeoffCharts(report).map(chartFigure).join('\n')}
</section>
${modelTables(report).map((t) => modelSection(t, report)).join('\n')}
${deploymentSectionsHtml(report)}
${targetCardsHtml(report)}
${merged.section}
${failuresSection(report)}
${sensitivitySectionsHtml(report).join('\n')}
${claimsSection(report.claims)}
<footer><h2>Environment</h2><p>${esc(envLine(report))}</p></footer>`, STYLE + TARGET_CARDS_STYLE);
}

/** What report.html adds to the common page style. */
const STYLE = `
td:first-child { white-space: nowrap; }
td { overflow-wrap: anywhere; }
h3 { font-size: 15px; margin: 16px 0 6px; }
tr.failed td { background: #fff3f0; color: #8a1f00; }
.verdict-supported { color: #0b6b2e; font-weight: 600; }
.verdict-not-supported { color: #a11; font-weight: 600; }
.verdict-indistinguishable { color: #8a5a00; font-weight: 600; }
.verdict-not-measured, .verdict-not-comparable { color: #666; }
.partial, .caveats { color: #8a5a00; }
.timing { color: #444; font-size: 13px; }
`;

export function recommendationSection(r: Recommendation): string {
  const ids = r.variantIds.map((id) => `<strong>${esc(id)}</strong>`).join(', ');
  const lead = ids === '' ? '' : `<p>${RECOMMENDED_MARK} ${recommendationTitle(r.kind)}: ${ids}</p>`;
  return `<section class="recommendation"><h2>Recommendation</h2>${lead}<p>${esc(r.reason)}</p></section>`;
}

/**
 * A model's figures as two tables, accuracy and size, then latency and memory, each led by the variant
 * column: one table of them all is wider than the page, and its last column, the paired test, would
 * hide behind a sideways scroll.
 */
function modelSection(t: ModelTable, report: Report): string {
  const m = t.model;
  const heading = `<h2>${esc(m.id)} — ${esc(modelShape(m))} <small>(${esc(shownSource(m))})</small></h2>`;
  if (t.rows.length === 0) return `<section>${heading}<p>No variants ran.</p></section>`;
  const tables = (['accuracy and size', 'latency and memory'] as const).map((about) => {
    const keep = t.columns.flatMap((c, i) => (i === 0 || c.about === about ? [i] : []));
    if (keep.length === 1) return '';
    const head = `<tr>${keep.map((i) => `<th>${esc(t.columns[i]?.title ?? '')}</th>`).join('')}</tr>`;
    const body = t.rows.map((r) => {
      if (r.state === 'failed') return `<tr class="failed"><td>${esc(r.variant)}</td><td colspan="${keep.length - 1}">${esc(r.error)}</td></tr>`;
      return `<tr>${keep.map((i) => `<td${t.columns[i]?.numeric ? ' class="num"' : ''}>${esc(r.cells[i] ?? '')}</td>`).join('')}</tr>`;
    });
    return `<h3>${esc(about[0]?.toUpperCase() ?? '')}${esc(about.slice(1))}</h3>`
      + `<div class="table-wrap"><table><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
  });
  const note = (t.note === undefined ? '' : `<p>${esc(t.note)}</p>`) + (t.timing === undefined ? '' : `<p class="timing">${esc(t.timing)}</p>`);
  const recipes = recipeLines(report, m).map((r) => `<li><strong>${esc(r.variant)}</strong>: ${esc(r.recipe)}</li>`);
  const made = recipes.length === 0 ? '' : `<p>How each variant was made:</p><ul class="recipes">${recipes.join('')}</ul>`;
  return `<section>${heading}${tables.join('')}${note}${made}</section>`;
}

/** Every variant that failed, with its error: those of a model that never resolved appear in no table above. */
function failuresSection(report: Report): string {
  const failed = report.variants.filter((v): v is FailedVariant => v.state === 'failed');
  if (failed.length === 0) return '';
  const items = failed.map((v) => `<li><strong>${esc(v.id)}</strong>: ${esc(`${v.error.code}: ${v.error.message}`)}</li>`);
  return `<section class="failures"><h2>Failures (${failed.length} of ${report.variants.length} variants)</h2><ul>${items.join('')}</ul></section>`;
}

function claimsSection(claims: readonly ClaimCheck[]): string {
  const heading = '<h2>ALBERT claims, tested</h2>';
  if (claims.length === 0) return `<section>${heading}<p>${esc(NO_CLAIMS)}</p></section>`;
  const rows = claims.map((c) => {
    const verdict = `<td class="verdict-${c.verdict.replace(/ /g, '-')}">${esc(c.verdict)}</td>`;
    return `<tr><td>${esc(c.claim)}</td>${verdict}<td>${esc(c.evidence)}</td></tr>`;
  });
  const head = '<thead><tr><th>claim</th><th>verdict</th><th>evidence</th></tr></thead>';
  return `<section>${heading}<div class="table-wrap"><table>${head}<tbody>${rows.join('')}</tbody></table></div></section>`;
}
