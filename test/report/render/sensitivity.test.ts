import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHtml } from '../../../src/report/render/html.js';
import { validateReport } from '../../../src/report/model/json-schema.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import type { AutoQuantSummary, GroupSensitivityRow } from '../../../src/report/model/types.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';

const row = (label: string, role: string, layers: number[], divergence: number, keptInFloat = false): GroupSensitivityRow => ({
  label, role, layers, weight: `${label}.weight`, bytesAdded: 49_081, divergence, metric: 0.97 - divergence / 10, keptInFloat,
});

/** Invented figures in the shape the search records for a 4-layer ALBERT (shared layer: one group per role). */
const SUMMARY: AutoQuantSummary = {
  recipe: 'dynamic int8 (qoperator, int8 weights)', metricKey: 'accuracy', sample: { split: 'train', examples: 200, seed: 0 },
  budget: { maxDropPoints: 1, targetMetric: 0.97 }, fp32Metric: 0.98, allQuantizedMetric: 0.44, finalMetric: 0.98,
  allQuantizedDivergence: 0.61, finalDivergence: 0.002, keptBytesAdded: 98_162, candidates: 17, searchSeconds: 12.5,
  groups: [
    row('layers 0-3 value (shared by 4)', 'value', [0, 1, 2, 3], 0.5428, true),
    row('layers 0-3 attention-output (shared by 4)', 'attention-output', [0, 1, 2, 3], 0.5671, true),
    row('layers 0-3 ffn-in (shared by 4)', 'ffn-in', [0, 1, 2, 3], 0.0004),
    row('classifier', 'classifier', [], 0.00001),
  ],
};

function reportWithAuto() {
  const r = editable(sampleReport());
  const base = r.variants.find((v) => v.id === 'albert/int8-dynamic');
  assert.ok(base !== undefined && base.state === 'completed');
  r.variants.push({ ...structuredClone(base), id: 'albert/int8-auto', variant: 'int8-auto', autoQuant: structuredClone(SUMMARY) as never });
  r.settings.variants.push('int8-auto');
  return validateReport(JSON.parse(JSON.stringify(r)), 'report.json');
}

describe('the int8-auto sections of the report', () => {
  it('the schema takes the optional autoQuant field', () => {
    assert.equal(reportWithAuto().variants.filter((v) => v.state === 'completed' && v.autoQuant !== undefined).length, 1);
  });

  it('Markdown: a sensitivity table, most sensitive first, with the kept groups and the shared layers said as such', () => {
    const md = renderMarkdown(reportWithAuto());
    assert.match(md, /### albert\/int8-auto: sensitivity and groups kept in float/);
    assert.match(md, /kept in float: layers 0-3 value \(shared by 4\), layers 0-3 attention-output \(shared by 4\) \(\+98,162 bytes\)/);
    const rows = md.split('\n').filter((l) => l.startsWith('| layers 0-3') || l.startsWith('| classifier'));
    assert.equal(rows.length, 4);
    assert.match(rows[0] ?? '', /^\| layers 0-3 attention-output \(shared by 4\) \| 0-3 \(one shared weight, runs 4 times\) \| 0\.5671 \|.*\| yes \|$/);
    assert.match(rows[3] ?? '', /^\| classifier \| - \| 1\.0e-5 \|/);
  });

  it('HTML: a layers x groups heatmap (SVG) with the kept cells outlined, and the table', () => {
    const html = renderHtml(reportWithAuto());
    const svg = /<svg class="chart heatmap"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.ok(svg.length > 0);
    for (const head of ['value', 'attention-output', 'ffn-in', 'classifier', 'layer 0', 'layer 3', 'outside layers']) assert.ok(svg.includes(`>${head}<`), head);
    // The shared value and attention-output groups fill all 4 layers, outlined: 8 cells.
    assert.equal(svg.match(/stroke="#0072B2"/g)?.length, 8);
    assert.match(html, /<th>group \(quantized alone\)<\/th>/);
  });

  it('a report without int8-auto renders as before', () => {
    assert.doesNotMatch(renderMarkdown(sampleReport()), /sensitivity/);
    assert.doesNotMatch(renderHtml(sampleReport()), /heatmap/);
  });
});
