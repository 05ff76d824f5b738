import { autoQuantLine, autoQuantVariants, sensitivityTable } from './sensitivity.js';
import type { AutoQuantSummary, GroupSensitivityRow, Report } from '../model/types.js';
import { htmlTable } from './html-page.js';
import { escapeXml as esc } from './xml.js';

const CELL_W = 92;
const CELL_H = 26;
const LEFT = 110;
const TOP = 40;
const OUTSIDE = 'outside layers';

/** White (least sensitive) to dark red (most), on a log scale of the KL divergence. */
function shade(x: number, lo: number, hi: number): string {
  const t = hi <= lo ? 0 : Math.min(1, Math.max(0, (Math.log10(Math.max(x, 1e-12)) - lo) / (hi - lo)));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 165)},${mix(247, 15)},${mix(236, 21)})`;
}

/**
 * Layers x groups: each cell is the group quantized alone, coloured by its KL divergence from
 * fp32 (log scale), outlined where the search kept it in float. A shared ALBERT weight fills every
 * layer that runs it, marked "shared"; embeddings, pooler and classifier share the last row.
 */
function sensitivityHeatmapSvg(s: AutoQuantSummary): string {
  const roles = [...new Set(s.groups.map((g) => g.role))];
  const layerCount = Math.max(0, ...s.groups.flatMap((g) => g.layers.map((l) => l + 1)));
  const rows = [...Array.from({ length: layerCount }, (_, i) => `layer ${i}`), ...(s.groups.some((g) => g.layers.length === 0) ? [OUTSIDE] : [])];
  const logs = s.groups.map((g) => Math.log10(Math.max(g.divergence, 1e-12)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const cellsAt = (row: number): Array<[number, GroupSensitivityRow]> =>
    s.groups.filter((g) => (rows[row] === OUTSIDE ? g.layers.length === 0 : g.layers.includes(row))).map((g) => [roles.indexOf(g.role), g]);
  const cells: string[] = [];
  rows.forEach((name, r) => {
    const y = TOP + r * CELL_H;
    cells.push(`<text x="${LEFT - 8}" y="${y + 17}" text-anchor="end">${esc(name)}</text>`);
    for (const [c, g] of cellsAt(r)) {
      const x = LEFT + c * CELL_W;
      const stroke = g.keptInFloat ? ' stroke="#0072B2" stroke-width="3"' : ' stroke="#ddd"';
      const label = `${g.divergence < 1e-3 ? g.divergence.toExponential(0) : g.divergence.toFixed(3)}${g.layers.length > 1 ? ' shared' : ''}`;
      cells.push(`<g><title>${esc(`${g.label}: KL ${g.divergence}, ${g.keptInFloat ? 'kept in float' : 'quantized'}`)}</title>`
        + `<rect x="${x}" y="${y}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${shade(g.divergence, lo, hi)}"${stroke}/>`
        + `<text x="${x + CELL_W / 2 - 1}" y="${y + 17}" text-anchor="middle">${esc(label)}</text></g>`);
    }
  });
  const heads = roles.map((role, c) => `<text x="${LEFT + c * CELL_W + CELL_W / 2}" y="${TOP - 10}" text-anchor="middle">${esc(role)}</text>`);
  const width = LEFT + roles.length * CELL_W + 10;
  const height = TOP + rows.length * CELL_H + 24;
  const legend = `<text x="${LEFT}" y="${height - 6}">KL(fp32 || group quantized alone), log colour scale; blue outline: kept in float</text>`;
  return `<svg class="chart heatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" `
    + `font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="sensitivity heatmap">${heads.join('')}${cells.join('')}${legend}</svg>`;
}

/** report.html's sections for the int8-auto variants: the line, the heatmap, the table. */
export function sensitivitySectionsHtml(report: Report): string[] {
  return autoQuantVariants(report).map((v) => {
    const s = v.autoQuant;
    const t = sensitivityTable(s);
    return `<section><h2>${esc(v.id)}: sensitivity and groups kept in float</h2><p>${esc(autoQuantLine(s))}</p>`
      + `<figure>${sensitivityHeatmapSvg(s)}</figure>${htmlTable(t)}</section>`;
  });
}
