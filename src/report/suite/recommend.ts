import { mb, ms, points } from '../../util/format.js';
import { paretoFront } from '../verdicts/pareto.js';
import type { SuiteRow } from '../model/suite-types.js';
import type { Constraints, Recommendation } from '../model/types.js';

type Scored = SuiteRow & { readonly glueAverage: number; readonly meanSizeBytes: number; readonly meanP50Ms: number };

const isScored = (r: SuiteRow): r is Scored => r.glueAverage !== undefined && r.meanSizeBytes !== undefined && r.meanP50Ms !== undefined;

const figures = (r: Scored): string => `GLUE average ${points(r.glueAverage, 1)}, ${mb(r.meanSizeBytes)} MB, p50 ${ms(r.meanP50Ms)} ms`;

/**
 * The suite's recommendation, on three figures per family x variant: the GLUE average, the mean
 * file size and the mean p50 latency over the suite's task models. With limits (--max-size on the
 * mean size, --max-latency on the mean p50, --min-accuracy on the GLUE average), the most accurate
 * row within them, ties to the smaller; without, the Pareto set.
 */
export function suiteRecommendation(rows: readonly SuiteRow[], constraints: Constraints): Recommendation {
  const scored = rows.filter(isScored);
  if (scored.length === 0) {
    return { kind: 'no-fit', variantIds: [], reason: 'No family x variant completed every task, so there is nothing to recommend.' };
  }
  const { maxSizeBytes, maxLatencyMs, minAccuracy } = constraints;
  const limits = [
    ...(maxSizeBytes === undefined ? [] : [{ text: `mean size <= ${mb(maxSizeBytes)} MB`, fits: (r: Scored) => r.meanSizeBytes <= maxSizeBytes }]),
    ...(maxLatencyMs === undefined ? [] : [{ text: `mean p50 <= ${ms(maxLatencyMs)} ms`, fits: (r: Scored) => r.meanP50Ms <= maxLatencyMs }]),
    ...(minAccuracy === undefined ? [] : [{ text: `GLUE average >= ${points(minAccuracy, 1)}`, fits: (r: Scored) => r.glueAverage >= minAccuracy }]),
  ];
  if (limits.length === 0) {
    const front = paretoFront(scored, [(r) => -r.glueAverage, (r) => r.meanSizeBytes, (r) => r.meanP50Ms]);
    return {
      kind: 'pareto', variantIds: front.map((r) => r.id),
      reason: 'No limits given; these are not beaten on GLUE average, mean size and mean latency at once: '
        + `${front.map((r) => `${r.id} (${figures(r)})`).join('; ')}.`,
    };
  }
  const limitsText = limits.map((l) => l.text).join(' and ');
  const fitting = scored.filter((r) => limits.every((l) => l.fits(r)));
  if (fitting.length === 0) return { kind: 'no-fit', variantIds: [], reason: `No family x variant meets ${limitsText}.` };
  const best = fitting.reduce((a, b) => (b.glueAverage > a.glueAverage || (b.glueAverage === a.glueAverage && b.meanSizeBytes < a.meanSizeBytes) ? b : a));
  return { kind: 'best-fit', variantIds: [best.id], reason: `${best.id} is the most accurate on the GLUE average within ${limitsText}: ${figures(best)}.` };
}
