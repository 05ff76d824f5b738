import { completedHeadlines, type Headline } from '../model/figures.js';
import type { DeviceName, Report } from '../model/types.js';
import { DIMENSIONS, judge, type Dimension } from './judge.js';
import { mb, ms, points } from '../../util/format.js';
import { differenceInterval, nonInferior, type DifferenceInterval } from './non-inferiority.js';
import { latencyOn } from './targets.js';

/** What `albench deploy` was asked to respect; each absent when not given. */
export interface DeployConstraints {
  readonly maxSizeMb?: number;
  /** Non-inferiority margin against the model's fp32, in points of the first metric. */
  readonly maxDropPoints?: number;
  /** On the p99 at the real inputs where the report measured them on the device, else the grid's first point. */
  readonly p99BoundMs?: number;
}

/** A completed variant as the target sees it: its headline with the latency of the target's device. */
export interface Candidate {
  readonly headline: Headline;
  readonly p99Ms: number | undefined;
  readonly p99Source: 'real-inputs' | 'grid-first-point' | undefined;
  /** Against its model's fp32: fp32 itself is 0 to 0; undefined when the report carries no paired difference. */
  readonly interval: DifferenceInterval | undefined;
}

/** The variant chosen, or why none is: no variant within the limits (the closest named, with its misses). */
export type Choice =
  | { readonly kind: 'chosen'; readonly chosen: Candidate; readonly reason: string }
  | { readonly kind: 'no-fit'; readonly reason: string };

interface Limit {
  readonly dimension: Dimension;
  readonly text: string;
  /** How far past the limit, relative to it: 0 within, Infinity when the figure is missing. */
  readonly excess: (c: Candidate) => number;
  readonly missText: (c: Candidate) => string;
}

function candidateOf(report: Report, h: Headline, device: DeviceName): Candidate {
  const v = h.variant;
  const point = latencyOn(report, v, device)?.[0];
  const real = v.deployment?.realInputs?.find((r) => r.device === device);
  const measured = real?.state === 'measured' ? real : undefined;
  const p99Source = measured !== undefined ? 'real-inputs' : point !== undefined ? 'grid-first-point' : undefined;
  const diff = v.metrics[0]?.differenceVsFp32;
  const interval: DifferenceInterval | undefined = v.variant === 'fp32'
    ? { method: 'wald-paired-proportions', low: 0, high: 0 }
    : diff === undefined ? undefined : differenceInterval(diff);
  return { headline: { ...h, point }, p99Ms: measured?.p99Ms ?? point?.p99Ms, p99Source, interval };
}

function limitsOf(c: DeployConstraints): Limit[] {
  const limits: Limit[] = [];
  if (c.maxSizeMb !== undefined) {
    const max = c.maxSizeMb * 1e6;
    limits.push({
      dimension: 'size', text: `size ≤ ${mb(max)} MB`,
      excess: (x) => Math.max(0, (x.headline.variant.sizeBytes - max) / max),
      missText: (x) => `${mb(x.headline.variant.sizeBytes - max)} MB over the size limit`,
    });
  }
  if (c.maxDropPoints !== undefined) {
    const margin = c.maxDropPoints / 100;
    limits.push({
      dimension: 'accuracy', text: `non-inferior to fp32 at a margin of ${c.maxDropPoints} points (95% interval of the paired difference)`,
      excess: (x) => {
        if (x.interval === undefined) return Infinity;
        // A miss smaller than the margin's scale still counts: the excess is never 0 outside it.
        return nonInferior(x.interval, c.maxDropPoints ?? 0) ? 0 : (-margin - x.interval.low) / (margin || 1) + 1e-9;
      },
      missText: (x) => {
        const low = x.interval?.low ?? NaN;
        return `its interval's lower end ${points(low)} points is ${points(-margin - low)} points past the margin`;
      },
    });
  }
  if (c.p99BoundMs !== undefined) {
    const max = c.p99BoundMs;
    limits.push({
      dimension: 'latency', text: `p99 ≤ ${ms(max)} ms`,
      excess: (x) => (x.p99Ms === undefined ? Infinity : Math.max(0, (x.p99Ms - max) / max)),
      missText: (x) => `${ms((x.p99Ms ?? NaN) - max)} ms over the p99 bound (p99 ${ms(x.p99Ms ?? NaN)} ms at ${x.p99Source ?? 'no timing'})`,
    });
  }
  return limits;
}

const joinAnd = (items: readonly string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`);

/**
 * The report's rule (recommend.ts) on the target's device: among the variants within every limit, the
 * best on the first figure the limits leave free (accuracy, then size, then latency; accuracy when all
 * are bounded, and when none is), ties within noise (judge.ts: the paired test, the between-round
 * spread) broken by the other figures in that order. No variant within the limits is a no-fit
 * naming the closest one and by how much it misses.
 */
export function chooseOnDevice(report: Report, device: DeviceName, constraints: DeployConstraints): Choice {
  const candidates = completedHeadlines(report.variants)
    .map((h) => candidateOf(report, h, device))
    .filter((c) => c.headline.point !== undefined);
  const limits = limitsOf(constraints);
  const limitsText = limits.length === 0 ? 'no constraints' : joinAnd(limits.map((l) => l.text));
  const fitting = candidates.filter((c) => limits.every((l) => l.excess(c) === 0));
  if (fitting.length === 0) return noFit(candidates, limits, limitsText, device);
  const bounded = new Set(limits.map((l) => l.dimension));
  const objective = DIMENSIONS.find((d) => !bounded.has(d) && bounded.size > 0) ?? 'accuracy';
  const order = [objective, ...DIMENSIONS.filter((d) => d !== objective)];
  const better = (a: Candidate, b: Candidate): number => {
    for (const d of order) {
      const o = judge(report.gold, d, a.headline, b.headline).order;
      if (o !== 0) return o;
    }
    return 0;
  };
  const chosen = fitting.reduce((a, b) => (better(b, a) < 0 ? b : a));
  const of = fitting.length === 1 ? 'the only variant' : `the best on ${order.join(', then ')} (ties within noise) of the ${fitting.length} variants`;
  return { kind: 'chosen', chosen, reason: `${chosen.headline.variant.id} is ${of} timed on ${device} that meet ${limitsText}.` };
}

function noFit(candidates: readonly Candidate[], limits: readonly Limit[], limitsText: string, device: DeviceName): Choice {
  const total = (c: Candidate) => limits.reduce((sum, l) => sum + l.excess(c), 0);
  if (candidates.length === 0) return { kind: 'no-fit', reason: `no completed variant was timed on ${device}; nothing to deploy` };
  const nearest = candidates.reduce((a, b) => (total(b) < total(a) ? b : a));
  if (!Number.isFinite(total(nearest))) {
    return { kind: 'no-fit', reason: `no variant meets ${limitsText}: none has every figure these limits need (a paired difference against fp32, a p99)` };
  }
  const misses = limits.filter((l) => l.excess(nearest) > 0).map((l) => l.missText(nearest));
  const reason = `no variant timed on ${device} meets ${limitsText}; the closest is ${nearest.headline.variant.id}: ${joinAnd(misses)}`;
  return { kind: 'no-fit', reason };
}
