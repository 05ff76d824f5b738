import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { int, points } from '../../util/format.js';
import type { TextTable } from './text-table.js';
import type { AutoQuantSummary, CompletedVariant, GroupSensitivityRow, Report } from '../model/types.js';

/** The int8-auto variants of a report that carry their search's figures. */
export function autoQuantVariants(report: Report): Array<CompletedVariant & { readonly autoQuant: AutoQuantSummary }> {
  return report.variants.filter((v): v is CompletedVariant & { autoQuant: AutoQuantSummary } => v.state === 'completed' && v.autoQuant !== undefined);
}

const kl = (x: number) => (x < 1e-4 ? x.toExponential(1) : x.toFixed(4));

function layersCell(g: GroupSensitivityRow): string {
  if (g.layers.length === 0) return '-';
  if (g.layers.length === 1) return String(g.layers[0]);
  return `${g.layers[0]}-${g.layers[g.layers.length - 1]} (one shared weight, runs ${g.layers.length} times)`;
}

/** One line: recipe, budget and the train-sample figures of fp32, plain and searched variants. */
export function autoQuantLine(s: AutoQuantSummary): string {
  const kept = s.groups.filter((g) => g.keptInFloat).map((g) => g.label);
  const sample = `${s.sample.examples} train examples (seed ${s.sample.seed})`;
  return `${s.recipe}; ${s.metricKey} on ${sample}: fp32 ${points(s.fp32Metric)}, all quantized ${points(s.allQuantizedMetric)}, `
    + `searched ${points(s.finalMetric)} (target >= ${points(s.budget.targetMetric)}); kept in float: ${kept.length === 0 ? 'nothing' : kept.join(', ')} `
    + `(+${int(s.keptBytesAdded)} bytes); ${s.candidates} candidates scored in ${s.searchSeconds.toFixed(1)} s`;
}

/**
 * The sensitivity table as text cells, most sensitive first, shared by report.md and report.html:
 * each group quantized alone (every other in float), its KL divergence from fp32's logits on the
 * train sample, the metric there, what keeping it in float costs.
 */
export function sensitivityTable(s: AutoQuantSummary): TextTable {
  const rows = [...s.groups]
    .sort((a, b) => b.divergence - a.divergence)
    .map((g) => [g.label, layersCell(g), kl(g.divergence), points(g.metric), int(g.bytesAdded), g.keptInFloat ? 'yes' : '']);
  const header = ['group (quantized alone)', 'layers', 'KL vs fp32 (nats)', `${s.metricKey} (train sample)`, 'bytes if kept in float', 'kept in float'];
  return { header, rows, numeric: [false, false, true, true, true, false] };
}

/** The table alone in Markdown: report.md puts the search's line above it, quantize --max-drop prints it under its own. */
export function sensitivityTableMarkdown(s: AutoQuantSummary): string {
  const t = sensitivityTable(s);
  return markdownTable(t.header, t.rows, t.numeric);
}

/** report.md's sections for the int8-auto variants: none when the report has none. */
export function sensitivitySectionsMarkdown(report: Report): string[] {
  return autoQuantVariants(report).map((v) => [
    `### ${escapeMarkdown(v.id)}: sensitivity and groups kept in float`,
    escapeMarkdown(autoQuantLine(v.autoQuant)),
    sensitivityTableMarkdown(v.autoQuant),
    'Dev accuracy and its paired difference from fp32 are in the model table above.',
  ].join('\n\n'));
}
