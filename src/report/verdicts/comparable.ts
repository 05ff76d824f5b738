import { subsetText } from '../model/describe.js';
import { gridLabel } from '../model/units.js';
import type { ModelFacts, Report } from '../model/types.js';

/** What can make two reports incomparable; `albench regress --accept` names the ones to compare anyway. */
export const DIFFERENCE_KINDS = ['task', 'subset', 'grid', 'variants', 'models'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface SetupDifference {
  readonly kind: DifferenceKind;
  /** One clause naming both sides, e.g. "task: baseline sst2, current cola". */
  readonly text: string;
}

/** Which current model stands for each baseline model id; baseline models without one are absent. */
export type ModelPairing = ReadonlyMap<string, string>;

/**
 * The identity regress matches models by: the digest of the checkpoint files where both reports
 * have one, else where it came from (bundled name, hub id and revision, folder). Never the label.
 */
function sameModel(a: ModelFacts, b: ModelFacts): boolean {
  if (a.sourceDigest !== undefined && b.sourceDigest !== undefined) return a.sourceDigest === b.sourceDigest;
  return a.source === b.source;
}

/**
 * Pairs baseline models with current ones by source, so a relabelled model still matches. A
 * baseline model with no source match pairs with the current model of the same label, if any, as
 * another checkpoint: a 'models' difference. Models that never resolved (in no models[]) pair by label.
 */
export function pairModels(baseline: Report, current: Report): { pairing: ModelPairing; differences: SetupDifference[] } {
  const pairing = new Map<string, string>();
  const taken = new Set<string>();
  const differences: SetupDifference[] = [];
  for (const b of baseline.models) {
    const match = current.models.find((c) => !taken.has(c.id) && sameModel(b, c));
    if (match !== undefined) {
      pairing.set(b.id, match.id);
      taken.add(match.id);
    }
  }
  for (const b of baseline.models.filter((m) => !pairing.has(m.id))) {
    const sameLabel = current.models.find((c) => !taken.has(c.id) && c.id === b.id);
    if (sameLabel === undefined) {
      differences.push({ kind: 'models', text: `models: ${b.id} (${b.source}) is not in the current report` });
      continue;
    }
    pairing.set(b.id, sameLabel.id);
    taken.add(sameLabel.id);
    differences.push({ kind: 'models', text: `models: ${b.id} is another checkpoint now (baseline ${b.source}, current ${sameLabel.source})` });
  }
  for (const c of current.models.filter((m) => !taken.has(m.id))) differences.push({ kind: 'models', text: `models: ${c.id} (${c.source}) is new` });
  const listed = new Set(baseline.models.map((m) => m.id));
  for (const v of baseline.variants) if (!listed.has(v.model) && !pairing.has(v.model)) pairing.set(v.model, v.model);
  return { pairing, differences };
}

const sameSet = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

function gridText(r: Report): string {
  return r.settings.batchSizes.flatMap((b) => r.settings.sequenceLengths.map((s) => gridLabel({ batchSize: b, sequenceLength: s }))).join(', ');
}

/** Every difference of what was measured: the task, the dev rows, the latency grid, the variants asked for, the models. */
export function setupDifferences(baseline: Report, current: Report): SetupDifference[] {
  const b = baseline.settings;
  const c = current.settings;
  const out: SetupDifference[] = [];
  if (b.task !== c.task) out.push({ kind: 'task', text: `task: baseline ${b.task}, current ${c.task}` });
  if (subsetText(b.subset) !== subsetText(c.subset)) {
    out.push({ kind: 'subset', text: `subset: baseline ${subsetText(b.subset)}, current ${subsetText(c.subset)}` });
  }
  if (!sameSet(b.batchSizes, c.batchSizes) || !sameSet(b.sequenceLengths, c.sequenceLengths)) {
    out.push({ kind: 'grid', text: `grid: baseline ${gridText(baseline)}, current ${gridText(current)}` });
  }
  if (!sameSet(b.variants, c.variants)) {
    out.push({ kind: 'variants', text: `variant set: baseline ${b.variants.join(', ')}, current ${c.variants.join(', ')}` });
  }
  return [...out, ...pairModels(baseline, current).differences];
}
