import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { matrixView, partialBanner } from './matrix-view.js';
import type { Report } from '../model/types.js';

const list = (items: readonly string[]): string => items.map((i) => `- ${escapeMarkdown(i)}`).join('\n');

/** report.md's banner on a partial report and its hardware-matrix section on a merged one; nothing otherwise. */
export function mergeSectionsMarkdown(report: Report): { banner: string[]; sections: string[] } {
  const banner = partialBanner(report);
  const view = matrixView(report);
  if (view === undefined) return { banner: banner === undefined ? [] : [`> ${escapeMarkdown(banner)}`], sections: [] };
  const parts = [
    `### ${view.title}`,
    list(view.environments),
    markdownTable(view.header, view.rows, view.numeric),
    ...(view.caveats.length > 0 ? [`**Latency caveats**\n\n${list(view.caveats)}`] : []),
    `**Recommendation per environment**\n\n${list(view.recommendations)}`,
    ...(view.accuracy.length > 0 ? [`**Accuracy across environments** (same variant file)\n\n${list(view.accuracy)}`] : []),
    `**Runs merged**\n\n${list(view.runs)}`,
  ];
  return { banner: banner === undefined ? [] : [`> ${escapeMarkdown(banner)}`], sections: [parts.join('\n\n')] };
}
