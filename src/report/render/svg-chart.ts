import { niceTicks, type Ticks } from './ticks.js';
import { escapeXml } from './xml.js';

/**
 * A scatter plot as one inline <svg>, drawn here so report.html needs no script or network: ticks
 * with units, one marker shape and colour per series, a label beside every point, whiskers for
 * the y interval, and the Pareto front as a dashed line through ringed points.
 */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** The y interval drawn as a whisker (e.g. the 95% CI); omitted when unknown. */
  readonly yLow?: number;
  readonly yHigh?: number;
  readonly label: string;
  readonly series: string;
  readonly onFront: boolean;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Ratio scales (size, time) start at zero so distances compare honestly. */
  readonly xFromZero: boolean;
  readonly series: readonly string[];
  readonly points: readonly ChartPoint[];
  readonly xDecimals?: number;
  /** What the ringed points mean, printed under the chart: which rule decided the front. */
  readonly caption?: string;
}

const WIDTH = 760;
const HEIGHT = 440;
const PLOT = { left: 64, right: WIDTH - 24, top: 64, bottom: HEIGHT - 56 };
const FONT = 12;
/** Average glyph width of the sans-serif label font, for collision checks without measuring text. */
const CHAR_WIDTH = FONT * 0.58;
/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'] as const;
type Shape = (typeof SHAPES)[number];

interface Box { x: number; y: number; w: number; h: number }

export function scatterSvg(spec: ChartSpec): string {
  const xs = spec.points.map((p) => p.x);
  const ys = spec.points.flatMap((p) => [p.y, p.yLow ?? p.y, p.yHigh ?? p.y]);
  const xt = niceTicks(spec.xFromZero ? 0 : Math.min(...xs, Infinity), Math.max(...xs, spec.xFromZero ? 0 : -Infinity));
  const yt = niceTicks(Math.min(...ys, Infinity), Math.max(...ys, -Infinity));
  const sx = (x: number) => PLOT.left + ((x - xt.min) / (xt.max - xt.min)) * (PLOT.right - PLOT.left);
  const sy = (y: number) => PLOT.bottom - ((y - yt.min) / (yt.max - yt.min)) * (PLOT.bottom - PLOT.top);
  const style = (series: string) => {
    const i = Math.max(0, spec.series.indexOf(series));
    return { color: COLORS[i % COLORS.length] ?? '#000', shape: SHAPES[i % SHAPES.length] ?? 'circle' };
  };

  const parts: string[] = [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${spec.id}-title"`
      + ` font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="${FONT}">`,
    `<title id="${spec.id}-title">${escapeXml(spec.title)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="16" font-weight="600">${escapeXml(spec.title)}</text>`,
    ...axes(xt, yt, sx, sy, spec),
    legend(spec.series, style),
  ];
  if (spec.points.length === 0) {
    const centre = `x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}"`;
    parts.push(`<text ${centre} text-anchor="middle" fill="#666">no completed variant has these figures</text>`);
  }
  parts.push(...whiskers(spec.points, sx, sy));
  const front = frontOf(spec.points).map((p) => ({ x: sx(p.x), y: sy(p.y) }));
  parts.push(frontLine(front));
  for (const p of spec.points) {
    const { color, shape } = style(p.series);
    if (p.onFront) parts.push(`<circle class="pareto" cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="11" fill="none" stroke="#111" stroke-width="2"/>`);
    parts.push(marker(shape, sx(p.x), sy(p.y), color));
  }
  parts.push(...labels(spec.points, sx, sy, front));
  parts.push('</svg>');
  return parts.join('\n');
}

/** The chart as report.html shows it: the inline SVG with its caption under it. */
export function chartFigure(spec: ChartSpec): string {
  const caption = spec.caption === undefined ? '' : `<figcaption>${escapeXml(spec.caption)}</figcaption>`;
  return `<figure>${scatterSvg(spec)}${caption}</figure>`;
}

const f = (n: number): string => n.toFixed(1);

function axes(xt: Ticks, yt: Ticks, sx: (x: number) => number, sy: (y: number) => number, spec: ChartSpec): string[] {
  const out: string[] = [];
  for (const v of xt.values) {
    const x = f(sx(v));
    out.push(`<line x1="${x}" y1="${PLOT.top}" x2="${x}" y2="${PLOT.bottom}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${x}" y1="${PLOT.bottom}" x2="${x}" y2="${PLOT.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${PLOT.bottom + 19}" text-anchor="middle" fill="#333">${v.toFixed(spec.xDecimals ?? xt.decimals)}</text>`);
  }
  for (const v of yt.values) {
    const y = f(sy(v));
    out.push(`<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${PLOT.left - 5}" y1="${y}" x2="${PLOT.left}" y2="${y}" stroke="#333"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${y}" dy="0.35em" text-anchor="end" fill="#333">${v.toFixed(yt.decimals)}</text>`);
  }
  out.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 14}" text-anchor="middle" font-size="13">${escapeXml(spec.xLabel)}</text>`);
  const cy = (PLOT.top + PLOT.bottom) / 2;
  out.push(`<text x="18" y="${cy}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${cy})">${escapeXml(spec.yLabel)}</text>`);
  return out;
}

function legend(series: readonly string[], style: (s: string) => { color: string; shape: Shape }): string {
  const items: string[] = [];
  let x = PLOT.left;
  const y = 46;
  for (const s of series) {
    const { color, shape } = style(s);
    items.push(marker(shape, x + 6, y, color), `<text x="${x + 16}" y="${y}" dy="0.35em">${escapeXml(s)}</text>`);
    x += 34 + s.length * CHAR_WIDTH;
  }
  items.push(`<line x1="${x}" y1="${y}" x2="${x + 26}" y2="${y}" stroke="#111" stroke-width="1.5" stroke-dasharray="5 3"/>`);
  items.push(`<circle cx="${x + 13}" cy="${y}" r="7" fill="none" stroke="#111" stroke-width="2"/>`);
  items.push(`<text x="${x + 32}" y="${y}" dy="0.35em">Pareto front</text>`);
  x += 120;
  items.push(`<line x1="${x + 6}" y1="${y - 7}" x2="${x + 6}" y2="${y + 7}" stroke="#888"/>`);
  items.push(`<text x="${x + 14}" y="${y}" dy="0.35em">95% CI</text>`);
  return `<g class="legend">${items.join('')}</g>`;
}

function marker(shape: Shape, x: number, y: number, color: string): string {
  const r = 6;
  const attrs = `fill="${color}" stroke="#fff" stroke-width="1"`;
  const poly = (pts: ReadonlyArray<readonly [number, number]>) => {
    const points = pts.map(([px, py]) => `${f(x + px)},${f(y + py)}`).join(' ');
    return `<polygon class="marker" points="${points}" ${attrs}/>`;
  };
  switch (shape) {
    case 'circle':
      return `<circle class="marker" cx="${f(x)}" cy="${f(y)}" r="${r}" ${attrs}/>`;
    case 'square':
      return `<rect class="marker" x="${f(x - r + 0.5)}" y="${f(y - r + 0.5)}" width="${2 * r - 1}" height="${2 * r - 1}" ${attrs}/>`;
    case 'triangle':
      return poly([[0, -r - 1], [r + 1, r], [-r - 1, r]]);
    case 'triangle-down':
      return poly([[0, r + 1], [r + 1, -r], [-r - 1, -r]]);
    case 'diamond':
      return poly([[0, -r - 1], [r + 1, 0], [0, r + 1], [-r - 1, 0]]);
    case 'cross':
      return poly([[-2, -r], [2, -r], [2, -2], [r, -2], [r, 2], [2, 2], [2, r], [-2, r], [-2, 2], [-r, 2], [-r, -2], [-2, -2]]);
  }
}

function whiskers(points: readonly ChartPoint[], sx: (x: number) => number, sy: (y: number) => number): string[] {
  return points.flatMap((p) => {
    if (p.yLow === undefined || p.yHigh === undefined) return [];
    const x = sx(p.x);
    const [lo, hi] = [f(sy(p.yLow)), f(sy(p.yHigh))];
    return [`<path class="ci" d="M${f(x)} ${lo}V${hi}M${f(x - 4)} ${lo}H${f(x + 4)}M${f(x - 4)} ${hi}H${f(x + 4)}" stroke="#888" fill="none"/>`];
  });
}

interface Pixel { x: number; y: number }

function frontOf(points: readonly ChartPoint[]): ChartPoint[] {
  return points.filter((p) => p.onFront).sort((a, b) => a.x - b.x || a.y - b.y);
}

function frontLine(front: readonly Pixel[]): string {
  if (front.length < 2) return '';
  const points = front.map((p) => `${f(p.x)},${f(p.y)}`).join(' ');
  return `<polyline class="pareto-front" points="${points}" fill="none" stroke="#111" stroke-width="1.5" stroke-dasharray="5 3"/>`;
}

/** Points every few pixels along the front, so labels can keep off the line as off markers. */
function alongLine(line: readonly Pixel[]): Pixel[] {
  const out: Pixel[] = [];
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (a === undefined || b === undefined) continue;
    const steps = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 4);
    for (let s = 0; s <= steps; s++) out.push({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
  }
  return out;
}

/**
 * Labels go beside their point, trying positions clockwise from the right until one overlaps no
 * earlier label, marker or the front line and stays in the plot. Points drawn on the same spot share one label.
 */
function labels(points: readonly ChartPoint[], sx: (x: number) => number, sy: (y: number) => number, front: readonly Pixel[]): string[] {
  const groups: Array<{ x: number; y: number; text: string; bold: boolean }> = [];
  for (const p of points) {
    const [x, y] = [sx(p.x), sy(p.y)];
    const same = groups.find((g) => Math.abs(g.x - x) < 3 && Math.abs(g.y - y) < 3);
    if (same !== undefined) {
      same.text += `, ${p.label}`;
      same.bold ||= p.onFront;
    } else groups.push({ x, y, text: p.label, bold: p.onFront });
  }
  const taken: Box[] = groups.map((g) => ({ x: g.x - 12, y: g.y - 12, w: 24, h: 24 }));
  const line = alongLine(front);
  const out: string[] = [];
  for (const g of groups) {
    const w = g.text.length * CHAR_WIDTH * (g.bold ? 1.06 : 1);
    const h = FONT + 2;
    const candidates: Box[] = [
      { x: g.x + 14, y: g.y - h / 2, w, h },
      { x: g.x + 10, y: g.y - 14 - h, w, h },
      { x: g.x + 10, y: g.y + 14, w, h },
      { x: g.x - w / 2, y: g.y - 16 - h, w, h },
      { x: g.x - w / 2, y: g.y + 16, w, h },
      { x: g.x - 14 - w, y: g.y - h / 2, w, h },
      { x: g.x - 10 - w, y: g.y - 14 - h, w, h },
      { x: g.x - 10 - w, y: g.y + 14, w, h },
    ];
    const inside = (b: Box) => b.x >= PLOT.left + 2 && b.x + b.w <= PLOT.right - 2 && b.y >= PLOT.top + 2 && b.y + b.h <= PLOT.bottom - 2;
    const free = (b: Box) =>
      !taken.some((t) => b.x < t.x + t.w && t.x < b.x + b.w && b.y < t.y + t.h && t.y < b.y + b.h) &&
      !line.some((p) => p.x > b.x && p.x < b.x + b.w && p.y > b.y && p.y < b.y + b.h);
    const box = candidates.find((b) => inside(b) && free(b)) ?? candidates.find(inside) ?? candidates[0];
    if (box === undefined) continue;
    taken.push(box);
    // A faint leader from the marker to the nearest edge of its label, so a label that had to move
    // away (crowded points) still reads as belonging to its point.
    const lx = Math.min(Math.max(g.x, box.x), box.x + box.w);
    const ly = Math.min(Math.max(g.y, box.y), box.y + box.h);
    if (Math.hypot(lx - g.x, ly - g.y) > 8) {
      out.unshift(`<line class="leader" x1="${f(g.x)}" y1="${f(g.y)}" x2="${f(lx)}" y2="${f(ly)}" stroke="#888" stroke-width="0.8"/>`);
    }
    const weight = g.bold ? ' font-weight="600"' : '';
    const halo = 'fill="#111" paint-order="stroke" stroke="#fff" stroke-width="3"';
    out.push(`<text class="label" x="${f(box.x)}" y="${f(box.y + h / 2)}" dy="0.35em"${weight} ${halo}>${escapeXml(g.text)}</text>`);
  }
  return out;
}
