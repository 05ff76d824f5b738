import { envLine, modelShape, NO_CLAIMS, recipeLines, recommendationTitle, settingsLine, shownSource } from '../model/describe.js';
import { deploymentSectionsMarkdown } from './deployment-sections.js';
import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { mergeSectionsMarkdown } from './matrix-markdown.js';
import { modelTables, RECOMMENDED_MARK, type ModelTable } from './model-table.js';
import { sensitivitySectionsMarkdown } from './sensitivity.js';
import type { ClaimCheck, FailedVariant, Recommendation, Report } from '../model/types.js';

/** report.md: what a pull request shows — the tables with deltas against fp32, the recommendation, the claims. */
export function renderMarkdown(report: Report): string {
  const merged = mergeSectionsMarkdown(report);
  const parts = [
    `## albench compare: ${escapeMarkdown(report.settings.task)}`,
    ...merged.banner,
    escapeMarkdown(settingsLine(report.settings)),
    ...modelTables(report).map((t) => modelSection(t, report)),
    ...deploymentSectionsMarkdown(report),
    ...merged.sections,
    ...failuresSection(report),
    ...sensitivitySectionsMarkdown(report),
    recommendationSection(report.recommendation),
    claimsSection(report.claims),
    `### Environment\n\n${escapeMarkdown(envLine(report))}`,
  ];
  return `${parts.join('\n\n')}\n`;
}

function modelSection(t: ModelTable, report: Report): string {
  const m = t.model;
  const heading = `### ${escapeMarkdown(m.id)} — ${modelShape(m)} (${escapeMarkdown(shownSource(m))})`;
  if (t.rows.length === 0) return `${heading}\n\nNo variants ran.`;
  const rows = t.rows.map((r) => (r.state === 'completed' ? r.cells : [r.variant, r.error]));
  const table = markdownTable(t.columns.map((c) => c.title), rows, t.columns.map((c) => c.numeric));
  const note = [t.note, t.timing].flatMap((text) => (text === undefined ? [] : [`\n\n${escapeMarkdown(text)}`])).join('');
  const recipes = recipeLines(report, m).map((r) => `- **${escapeMarkdown(r.variant)}**: ${escapeMarkdown(r.recipe)}`);
  const made = recipes.length === 0 ? '' : `\n\nHow each variant was made:\n\n${recipes.join('\n')}`;
  return `${heading}\n\n${table}${note}${made}`;
}

/** Every variant that failed, with its error: those of a model that never resolved appear in no table above. */
function failuresSection(report: Report): string[] {
  const failed = report.variants.filter((v): v is FailedVariant => v.state === 'failed');
  if (failed.length === 0) return [];
  const lines = failed.map((v) => `- **${escapeMarkdown(v.id)}**: ${escapeMarkdown(`${v.error.code}: ${v.error.message}`)}`);
  return [`### Failures (${failed.length} of ${report.variants.length} variants)\n\n${lines.join('\n')}`];
}

export function recommendationSection(r: Recommendation): string {
  const ids = r.variantIds.map((id) => `**${escapeMarkdown(id)}**`).join(', ');
  const lead = ids === '' ? '' : `${RECOMMENDED_MARK} ${recommendationTitle(r.kind)}: ${ids}\n\n`;
  return `### Recommendation\n\n${lead}${escapeMarkdown(r.reason)}`;
}

function claimsSection(claims: readonly ClaimCheck[]): string {
  if (claims.length === 0) return `### ALBERT claims, tested\n\n${NO_CLAIMS}`;
  const table = markdownTable(['claim', 'verdict', 'evidence'], claims.map((c) => [c.claim, c.verdict, c.evidence]));
  return `### ALBERT claims, tested\n\n${table}`;
}
