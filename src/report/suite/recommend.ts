import { mb, ms, points } from '../../util/format.js';
import { frontTies, paretoFrontWith } from '../verdicts/pareto.js';
import type { SuiteRow } from '../model/suite-types.js';
import type { Constraints, Recommendation } from '../model/types.js';
import { canonicalRows, judgeRows, rawOrder, type SuiteDimension, type SuiteNoise } from './noise.js';

type Scored = SuiteRow & { readonly glueAverage: number; readonly meanSizeBytes: number; readonly meanP50Ms: number };

const isScored = (r: SuiteRow): r is Scored => r.glueAverage !== undefined && r.meanSizeBytes !== undefined && r.meanP50Ms !== undefined;

const figures = (r: Scored): string => `GLUE average ${points(r.glueAverage, 1)}, ${mb(r.meanSizeBytes)} MB, p50 ${ms(r.meanP50Ms)} ms`;

const DIMENSIONS: readonly SuiteDimension[] = ['accuracy', 'size', 'latency'];

function tiesText(ties: readonly string[]): string {
  return ties.length === 0 ? '' : ` Differences within noise count as ties: ${ties.join('; ')}.`;
}

/**
 * The suite's recommendation, on three figures per family x variant: the GLUE average, the mean
 * file size and the mean p50 latency over the suite's task models, differences within noise
 * counted as ties as in a task report (noise.ts: the GLUE average by a paired bootstrap over the
 * tasks' rows, latency by the tasks' between-round noise). With limits (--max-size on the mean
 * size, --max-latency on the mean p50, --min-accuracy on the GLUE average), the most accurate row
 * within noise inside them, ties to the smaller, then the faster; without, the Pareto set. Decided
 * on the set of rows and listed best first, so their order changes nothing.
 */
export function suiteRecommendation(rows: readonly SuiteRow[], constraints: Constraints, noise: SuiteNoise): Recommendation {
  const scored = canonicalRows(rows.filter(isScored));
  if (scored.length === 0) {
    return { kind: 'no-fit', variantIds: [], reason: 'No family x variant completed every task, so there is nothing to recommend.' };
  }
  const judged = DIMENSIONS.map((d) => (a: Scored, b: Scored) => judgeRows(noise, d, a, b).order);
  const { maxSizeBytes, maxLatencyMs, minAccuracy } = constraints;
  const limits = [
    ...(maxSizeBytes === undefined ? [] : [{ text: `mean size <= ${mb(maxSizeBytes)} MB`, fits: (r: Scored) => r.meanSizeBytes <= maxSizeBytes }]),
    ...(maxLatencyMs === undefined ? [] : [{ text: `mean p50 <= ${ms(maxLatencyMs)} ms`, fits: (r: Scored) => r.meanP50Ms <= maxLatencyMs }]),
    ...(minAccuracy === undefined ? [] : [{ text: `GLUE average >= ${points(minAccuracy, 1)}`, fits: (r: Scored) => r.glueAverage >= minAccuracy }]),
  ];
  if (limits.length === 0) {
    const front = paretoFrontWith(scored, judged);
    const raw = DIMENSIONS.map((d) => rawOrder<Scored>(d));
    const ties = frontTies(scored, front, raw, judged, (i, x, y) => judgeRows(noise, DIMENSIONS[i] as SuiteDimension, x, y).tie);
    return {
      kind: 'pareto', variantIds: front.map((r) => r.id),
      reason: 'No limits given; these are not beaten on GLUE average, mean size and mean latency at once, beyond noise: '
        + `${front.map((r) => `${r.id} (${figures(r)})`).join('; ')}.${tiesText(ties)}`,
    };
  }
  const limitsText = limits.map((l) => l.text).join(' and ');
  const fitting = scored.filter((r) => limits.every((l) => l.fits(r)));
  if (fitting.length === 0) return { kind: 'no-fit', variantIds: [], reason: `No family x variant meets ${limitsText}.` };
  // On the set, figure by figure: a tie that is not transitive cannot hand the lead down a list (see verdicts/recommend.ts).
  let kept: readonly Scored[] = fitting;
  for (const compare of judged) kept = kept.filter((r) => !kept.some((o) => o !== r && compare(o, r) < 0));
  const best = canonicalRows(kept)[0] ?? (fitting[0] as Scored);
  const ties = fitting.flatMap((r) => {
    const tie = r.glueAverage > best.glueAverage ? judgeRows(noise, 'accuracy', r, best).tie : undefined;
    return tie === undefined ? [] : [tie];
  });
  const within = ties.length > 0 ? ' within noise' : '';
  return {
    kind: 'best-fit', variantIds: [best.id],
    reason: `${best.id} is the most accurate on the GLUE average${within} within ${limitsText}: ${figures(best)}.${tiesText(ties)}`,
  };
}
