import { scoreCandidate, type ScoredCandidate, type SearchContext } from './candidate.js';
import { rankBySensitivityPerByte, type GroupSensitivity, type SensitivityScan } from './sensitivity.js';

interface SearchLimits {
  /** The sample metric a candidate must reach. */
  readonly target: number;
  /** The most bytes the kept groups may add back to the all-quantized file. */
  readonly maxBytesAdded: number;
}

export interface SearchOutcome {
  /** null when no candidate within the limits reached the target; then `best` is the closest. */
  readonly kept: readonly GroupSensitivity[] | null;
  readonly score: ScoredCandidate;
  /** Candidates scored after the sensitivity scan. */
  readonly candidates: number;
}

const meets = (s: ScoredCandidate, limits: SearchLimits) => s.metric >= limits.target;

/**
 * Greedy: add groups in order of sensitivity per byte until the sample metric reaches the target
 * (re-scored after each addition, since groups interact: a rescaled channel hurts both the weight
 * that makes it and the activation the next layer quantizes), then drop every kept group, costliest
 * first, that the target does not need. The result is minimal: no single kept group can go.
 */
export async function searchKeptGroups(ctx: SearchContext, scan: SensitivityScan, limits: SearchLimits): Promise<SearchOutcome> {
  if (meets(scan.allQuantized, limits)) return { kept: [], score: scan.allQuantized, candidates: 0 };
  let candidates = 0;
  const kept: GroupSensitivity[] = [];
  let best = scan.allQuantized;
  let found: ScoredCandidate | null = null;
  for (const g of rankBySensitivityPerByte(scan.groups)) {
    if (bytesOf(kept) + g.bytesAdded > limits.maxBytesAdded) continue;
    kept.push(g);
    const s = await scoreCandidate(ctx, kept.map((k) => k.group));
    candidates++;
    if (s.metric > best.metric) best = s;
    if (meets(s, limits)) {
      found = s;
      break;
    }
  }
  if (found === null) return { kept: null, score: best, candidates };
  for (const g of [...kept].sort((a, b) => b.bytesAdded - a.bytesAdded)) {
    if (kept.length === 1) break;
    const without = kept.filter((k) => k !== g);
    const s = await scoreCandidate(ctx, without.map((k) => k.group));
    candidates++;
    if (meets(s, limits)) {
      kept.splice(kept.indexOf(g), 1);
      found = s;
    }
  }
  return { kept, score: found, candidates };
}

export const bytesOf = (groups: readonly GroupSensitivity[]): number => groups.reduce((n, g) => n + g.bytesAdded, 0);
