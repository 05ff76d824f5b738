import { recommendationSection } from '../render/html.js';
import { suiteCharts } from './charts.js';
import { NO_SUITE_CLAIMS } from './claims.js';
import { suitePartialNote } from './partial.js';
import { costTable, perTaskTable, resultsTable, suiteEnvLine, suiteSettingsLine } from './tables.js';
import type { SuiteReport } from '../model/suite-types.js';
import { chartFigure } from '../render/svg-chart.js';
import { htmlPage, htmlTable } from '../render/html-page.js';
import { escapeXml as esc } from '../render/xml.js';

function claims(report: SuiteReport): string {
  if (report.claims.length === 0) return `<p>${esc(NO_SUITE_CLAIMS)}</p>`;
  return htmlTable({ header: ['claim', 'verdict', 'evidence'], rows: report.claims.map((c) => [c.claim, c.verdict, c.evidence]), numeric: [] });
}

/** report.html of a suite: one file, no script or network (as html.ts), every text through esc(). */
export function renderSuiteHtml(report: SuiteReport): string {
  const title = `albench GLUE suite: ${report.name}`;
  const note = suitePartialNote(report);
  const partial = note === undefined ? '' : `<p class="partial"><strong>${esc(note)}</strong></p>\n`;
  return htmlPage(title, `${partial}<p class="settings">${esc(suiteSettingsLine(report))}</p>
<h2>Results (dev sets, x100)</h2>
${htmlTable(resultsTable(report))}
<p class="rule">${esc(report.averageRule)}</p>
<p class="rule">${esc(report.paperAverageRule)}</p>
${recommendationSection(report.recommendation)}
<section class="charts">
${suiteCharts(report).map(chartFigure).join('\n')}
</section>
<h2>Per task: metrics with n and 95% interval, difference against the family's fp32</h2>
${htmlTable(perTaskTable(report))}
<h2>Size, latency and memory per task model</h2>
${htmlTable(costTable(report))}
<h2>ALBERT claims on the suite, tested</h2>
${claims(report)}
<footer><h2>Environment</h2><p>${esc(suiteEnvLine(report))}</p></footer>`);
}

