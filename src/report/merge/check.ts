import { UsageError } from '../../errors.js';
import { setupDifferences } from '../verdicts/comparable.js';
import { deploymentSettingsText } from './deployment.js';
import type { ModelFacts, Report } from '../model/types.js';

/** One report given to `albench merge`, with the name its refusals call it by (its file). */
export interface MergeInput {
  readonly report: Report;
  readonly name: string;
}

/** A refusal clause: regress's wording ("task: baseline sst2, current cola") with the two files named instead. */
function named(text: string, a: string, b: string): string {
  const m = /^([^:]+): baseline (.*), current (.*)$/.exec(text);
  return m === null ? text : `${m[1]}: ${a} has ${m[2]}, ${b} has ${m[3]}`;
}

const sameModel = (a: ModelFacts, b: ModelFacts): boolean =>
  a.sourceDigest !== undefined && b.sourceDigest !== undefined ? a.sourceDigest === b.sourceDigest : a.source === b.source;

/** Constraints as one comparable string, whatever order their keys came in. */
const constraintsText = (r: Report): string => JSON.stringify(Object.entries(r.settings.constraints).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Each way `other` was not run as `first` was: task, dev rows, grid, variants, warm-up, constraints, deployment measurements, a model
 * label on another checkpoint, the data.
 */
function differences(first: MergeInput, other: MergeInput, seen: ReadonlyMap<string, { model: ModelFacts; name: string }>): string[] {
  const a = first.report;
  const b = other.report;
  const out = setupDifferences(a, b).filter((d) => d.kind !== 'models').map((d) => named(d.text, first.name, other.name));
  if (a.settings.warmupIterations !== b.settings.warmupIterations) {
    out.push(`warm-up runs: ${first.name} has ${a.settings.warmupIterations}, ${other.name} has ${b.settings.warmupIterations}`);
  }
  if (constraintsText(a) !== constraintsText(b)) out.push(`constraints: ${first.name} has ${constraintsText(a)}, ${other.name} has ${constraintsText(b)}`);
  if (deploymentSettingsText(a) !== deploymentSettingsText(b)) {
    out.push(`deployment measurements: ${first.name} has ${deploymentSettingsText(a)}, ${other.name} has ${deploymentSettingsText(b)}`);
  }
  for (const m of b.models) {
    const earlier = seen.get(m.id);
    if (earlier !== undefined && !sameModel(earlier.model, m)) {
      out.push(`model ${m.id}: ${earlier.name} has ${earlier.model.source}, ${other.name} has another checkpoint (${m.source})`);
    }
  }
  if (a.gold !== undefined && b.gold !== undefined && JSON.stringify(a.gold) !== JSON.stringify(b.gold)) {
    out.push(`dev data: ${first.name} and ${other.name} scored different rows or gold labels (another copy of the data)`);
  }
  return out;
}

/**
 * Refuses reports that were not one run's settings: merge joins the same work measured elsewhere or
 * sliced into shards, never two different questions. The message names every difference.
 */
export function checkMergeable(inputs: readonly MergeInput[]): void {
  const [first] = inputs;
  if (first === undefined) throw new UsageError('albench merge needs at least one report.json');
  const seen = new Map<string, { model: ModelFacts; name: string }>();
  const found: string[] = [];
  for (const input of inputs) {
    found.push(...differences(first, input, seen));
    for (const m of input.report.models) if (!seen.has(m.id)) seen.set(m.id, { model: m, name: input.name });
  }
  if (found.length > 0) throw new UsageError(`cannot merge these reports: ${found.join('; ')}; merge only reports of the same compare settings`);
}
