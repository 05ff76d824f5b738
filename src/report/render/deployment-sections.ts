import { isCompleted } from '../model/figures.js';
import type { Report } from '../model/types.js';
import { coldStartSection } from './cold-start-view.js';
import type { Block, Section } from './deployment-blocks.js';
import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { htmlTable } from './html-page.js';
import { loadSection } from './load-view.js';
import { realInputsSection } from './real-inputs-view.js';
import { tunedSection } from './tuned-view.js';
import { escapeXml as esc } from './xml.js';

/**
 * What a deployment costs, as report.md and report.html show it: real inputs beside the grid, cold
 * start with its parts, the load table, the tuned sessions. A merged report shows its first environment's, as its
 * top-level latencies are (each environment's stay in matrix.cells). Nothing when none was measured.
 */
function deploymentSections(report: Pick<Report, 'variants' | 'deployment'>): Section[] {
  const d = report.deployment;
  if (d === undefined) return [];
  const variants = report.variants.filter(isCompleted);
  const grid = variants.find((v) => v.latency[0] !== undefined)?.latency[0];
  const sections = [
    d.realInputs === undefined ? undefined : realInputsSection(variants, d.realInputs, grid),
    d.coldStart === undefined ? undefined : coldStartSection(variants, d.coldStart),
    d.load === undefined ? undefined : loadSection(variants, d.load),
    d.tune === undefined ? undefined : tunedSection(variants, d.tune),
  ];
  return sections.filter((s): s is Section => s !== undefined);
}

function blockMarkdown(b: Block): string {
  switch (b.kind) {
    case 'text':
      return escapeMarkdown(b.text);
    case 'table':
      return markdownTable(b.table.header, b.table.rows, b.table.numeric);
    case 'list':
      return b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n');
  }
}

export function deploymentSectionsMarkdown(report: Pick<Report, 'variants' | 'deployment'>): string[] {
  return deploymentSections(report).map((s) => [`### ${escapeMarkdown(s.title)}`, ...s.blocks.map(blockMarkdown)].join('\n\n'));
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'text':
      return `<p>${esc(b.text)}</p>`;
    case 'table':
      return htmlTable(b.table);
    case 'list':
      return `<ul class="steps">${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
  }
}

export function deploymentSectionsHtml(report: Pick<Report, 'variants' | 'deployment'>): string {
  return deploymentSections(report).map((s) => `<section class="deployment"><h2>${esc(s.title)}</h2>${s.blocks.map(blockHtml).join('')}</section>`).join('\n');
}
