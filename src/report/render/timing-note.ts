import { ms } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import type { CompletedVariant, LatencyPoint } from '../model/types.js';

/**
 * The line under a model's table that says what its latencies are: how many rounds, how far the
 * rounds disagreed at each grid point, when and under what load they were measured, and whether
 * they were measured by this run or reused from the cache. Shared by the Markdown and HTML renderers.
 */
export function timingNote(variants: readonly CompletedVariant[]): string | undefined {
  const timed = variants.filter((v) => v.latency.length > 0);
  if (timed.length === 0) return undefined;
  return `Latency: ${spreads(timed)}. ${occasions(timed)}.`;
}

function spreads(variants: readonly CompletedVariant[]): string {
  const rounds = [...new Set(variants.flatMap((v) => v.latency.map((p) => p.rounds)))].sort((a, b) => a - b);
  const lead = `p50 is the median of ${rounds.join(' or ')} round(s) per variant, each in its own process; spread between rounds (highest minus lowest p50)`;
  const points: LatencyPoint[] = [];
  for (const v of variants) for (const p of v.latency) if (!points.some((q) => gridLabel(q) === gridLabel(p))) points.push(p);
  const perPoint = points.map((p) => {
    const figures = variants.flatMap((v) => {
      const q = v.latency.find((x) => gridLabel(x) === gridLabel(p));
      return q === undefined ? [] : [`${v.variant} ${ms(q.spreadMs)} ms`];
    });
    return `${gridLabel(p)}: ${figures.join(', ')}`;
  });
  return `${lead} ${perPoint.join('; ')}`;
}

/** "measured afresh at T (1-minute load average L)", once per distinct occasion, naming the variants only when there are several. */
function occasions(variants: readonly CompletedVariant[]): string {
  const groups = new Map<string, { readonly first: LatencyPoint; readonly names: string[] }>();
  for (const v of variants) {
    const first = v.latency[0] as LatencyPoint;
    const key = `${first.reused}|${first.measuredAt}|${first.loadAverage1m}`;
    const group = groups.get(key) ?? { first, names: [] };
    group.names.push(v.variant);
    groups.set(key, group);
  }
  const lines = [...groups.values()].map(({ first, names }) => {
    const how = first.reused ? 'reused from the cache, measured' : 'measured afresh by this run';
    const which = groups.size > 1 ? ` (${names.join(', ')})` : '';
    return `${how} at ${first.measuredAt}, 1-minute load average ${first.loadAverage1m.toFixed(2)}${which}`;
  });
  const text = lines.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
