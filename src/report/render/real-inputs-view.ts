import { ms } from '../../util/format.js';
import { percentileOfSorted } from '../../util/stats.js';
import type { RealInputCost, RealInputSample, RealInputsRun } from '../model/deployment-types.js';
import { gridLabel } from '../model/units.js';
import type { CompletedVariant, DeviceName, LatencyPoint } from '../model/types.js';
import { NONE, rateText, type Block, type Section } from './deployment-blocks.js';

/** The cost per request at the grid's first point and at the real inputs, side by side, and the token counts behind the difference. */

/** The grid's first point as the device timed it: latencyByDevice's entry, or the variant's own latency for its only device. */
function gridPoint(v: CompletedVariant, device: DeviceName): LatencyPoint | undefined {
  const byDevice = v.latencyByDevice?.find((d) => d.device === device);
  if (byDevice !== undefined) return byDevice.state === 'timed' ? byDevice.latency[0] : undefined;
  return v.latencyByDevice === undefined ? v.latency[0] : undefined;
}

const triple = (mean: number, p50: number, p99: number) => `${ms(mean)} / ${ms(p50)} / ${ms(p99)}`;

function costRow(v: CompletedVariant, c: RealInputCost): string[] {
  const grid = gridPoint(v, c.device);
  const gridCell = grid === undefined ? NONE : triple(grid.meanMs, grid.p50Ms, grid.p99Ms);
  if (c.state === 'failed') return [v.id, c.device, gridCell, `failed: ${c.error}`, NONE, NONE, NONE];
  const ratio = grid === undefined || c.meanMs <= 0 ? NONE : `${(grid.meanMs / c.meanMs).toFixed(2)}×`;
  return [v.id, c.device, gridCell, triple(c.meanMs, c.p50Ms, c.p99Ms), ratio, rateText(c.requestsPerSecond), ms(c.spreadMs)];
}

/** Power-of-two bins up to the longest row: short SST-2 sentences fill the first ones, padding to 128 fills none. */
function bins(longest: number): Array<[number, number]> {
  const edges = [0, 8];
  while ((edges[edges.length - 1] as number) < longest) edges.push((edges[edges.length - 1] as number) * 2);
  return edges.slice(1).map((top, i) => [(edges[i] as number) + 1, top]);
}

function histogram(samples: readonly RealInputSample[]): Block {
  const longest = Math.max(1, ...samples.flatMap((s) => s.tokenCounts));
  const rows = bins(longest).map(([low, high]) => [
    `${low}–${high}`,
    ...samples.map((s) => {
      const n = s.tokenCounts.filter((t) => t >= low && t <= high).length;
      return `${n} ${'█'.repeat(Math.round((n / Math.max(1, s.tokenCounts.length)) * 20))}`;
    }),
  ]);
  const header = ['tokens per row', ...samples.map((s) => `${s.model} (rows)`)];
  return { kind: 'table', table: { header, rows, numeric: header.map(() => false) } };
}

function sampleLine(s: RealInputSample): string {
  const sorted = [...s.tokenCounts].sort((a, b) => a - b);
  const at = (q: number) => percentileOfSorted(sorted, q).toFixed(0);
  return `${s.model}: ${s.rows.length} of ${s.scoredRows} scored rows; tokens per row median ${at(0.5)}, p90 ${at(0.9)}, max ${sorted[sorted.length - 1] ?? 0}`;
}

export function realInputsSection(variants: readonly CompletedVariant[], run: RealInputsRun, grid: LatencyPoint | undefined): Section | undefined {
  const rows = variants.flatMap((v) => (v.deployment?.realInputs ?? []).map((c) => costRow(v, c)));
  if (rows.length === 0) return undefined;
  const at = grid === undefined ? 'the grid\'s first point' : gridLabel(grid);
  const rounds = [...new Set(variants.flatMap((v) => (v.deployment?.realInputs ?? []).flatMap((c) => (c.state === 'measured' ? [c.rounds] : []))))];
  const header = ['variant', 'device', `grid ${at}: mean / p50 / p99 (ms)`, 'real inputs: mean / p50 / p99 (ms)', 'grid ÷ real (mean)',
    'requests/s, one at a time', 'spread between rounds (ms)'];
  return {
    title: 'Cost per request: the fixed grid and the real inputs',
    blocks: [
      {
        kind: 'text',
        text: `Each variant sent ${run.sampleSize} rows sampled from the scored rows (seed ${run.seed}; all of them when fewer), one request at a time, `
          + `each at its own token count (batch 1, no padding), in whole passes after the warm-up, in ${rounds.join(' or ')} round(s) of fresh`
          + ` processes in reversing order; the mean is the median of the rounds' means. The grid pads every request to ${at}.`,
      },
      { kind: 'table', table: { header, rows, numeric: header.map((_, i) => i >= 2) } },
      { kind: 'list', items: run.samples.map(sampleLine) },
      histogram(run.samples),
    ],
  };
}
