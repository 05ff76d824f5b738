import { recommendationSection } from '../render/markdown.js';
import { escapeMarkdown, markdownTable } from '../render/markdown-text.js';
import { NO_SUITE_CLAIMS } from './claims.js';
import { suitePartialNote } from './partial.js';
import { costTable, perTaskTable, resultsTable, suiteEnvLine, suiteSettingsLine } from './tables.js';
import { type TextTable } from '../render/text-table.js';
import type { SuiteReport } from '../model/suite-types.js';

const table = (t: TextTable): string => markdownTable(t.header, t.rows, t.numeric);

/** report.md of a suite: the results table as the papers lay it out, then the detail behind every cell. */
export function renderSuiteMarkdown(report: SuiteReport): string {
  const claims = report.claims.length === 0
    ? NO_SUITE_CLAIMS
    : markdownTable(['claim', 'verdict', 'evidence'], report.claims.map((c) => [c.claim, c.verdict, c.evidence]));
  const parts = [
    `## albench GLUE suite: ${escapeMarkdown(report.name)}`,
    ...[suitePartialNote(report)].flatMap((note) => (note === undefined ? [] : [`**${escapeMarkdown(note)}**`])),
    escapeMarkdown(suiteSettingsLine(report)),
    `### Results (dev sets, x100)\n\n${table(resultsTable(report))}`,
    `${escapeMarkdown(report.averageRule)}\n\n${escapeMarkdown(report.paperAverageRule)}`,
    `### Per task: metrics with n and 95% interval, difference against the family's fp32\n\n${table(perTaskTable(report))}`,
    `### Size, latency and memory per task model\n\n${table(costTable(report))}`,
    recommendationSection(report.recommendation),
    `### ALBERT claims on the suite, tested\n\n${claims}`,
    `### Environment\n\n${escapeMarkdown(suiteEnvLine(report))}`,
  ];
  return `${parts.join('\n\n')}\n`;
}
