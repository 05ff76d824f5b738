import { METRICS, type Metric } from '../../glue/metrics.js';
import { GLUE_TASKS } from '../../glue/tasks.js';
import { points, signed } from '../../util/format.js';
import type { RowValues, SubsetSetting } from '../model/types.js';
import { alignRows, PAIRED_BOOTSTRAP } from './paired.js';
import { pairedBootstrapDifference } from './stats.js';

/**
 * `albench regress --margin`: a non-inferiority gate on the task's score. The drop (baseline minus
 * current, in points) and its two-sided 95% paired interval decide: PASS when the whole interval
 * lies below the margin, FAIL when it lies above, INCONCLUSIVE when it straddles it, with how many
 * more rows would decide. A point rule cannot say the third thing: it calls a drop of 0.9 points
 * on 200 rows a pass although the data fit a drop of 3 as well.
 */

export interface MarginCheck {
  readonly status: 'pass' | 'fail' | 'inconclusive';
  readonly detail: string;
  /** INCONCLUSIVE only: about how many more rows would decide it (Infinity: none would; absent: there is no interval to scale). */
  readonly moreRows?: number;
}

export interface MarginInputs {
  readonly metricKey: string;
  /** The reports' own figures (fractions), for the line's "before → after". */
  readonly baseValue: number;
  readonly currentValue: number;
  readonly gold: RowValues | undefined;
  readonly base: RowValues | undefined;
  readonly current: RowValues | undefined;
  readonly marginPoints: number;
  /** The current report's task and subset: where more rows could come from. */
  readonly task: string;
  readonly subset: SubsetSetting;
}

/**
 * The fewest extra rows N at which the interval, centred on the observed drop with its half-width
 * scaled by sqrt(rows / (rows + N)) (the same discordance per row, so the error shrinks as one over
 * the root of the rows), lies wholly on one side of the margin: N > rows * (half² / gap² - 1).
 * 0 when it already does; Infinity when the drop sits on the margin.
 */
export function rowsToDecide(rows: number, dropPoints: number, lowPoints: number, highPoints: number, marginPoints: number): number {
  const half = (highPoints - lowPoints) / 2;
  const gap = Math.abs(dropPoints - marginPoints);
  if (gap === 0) return Infinity;
  // Strictly clear: an end exactly on the margin decides nothing, and rounding must not make it look as if it did.
  const clears = (extra: number) => half * Math.sqrt(rows / (rows + extra)) < gap * (1 - 1e-12);
  if (clears(0)) return 0;
  let n = Math.floor(rows * ((half * half) / (gap * gap) - 1)) + 1;
  // The closed form can land one off where floating point rounds the boundary.
  while (n > 1 && clears(n - 1)) n--;
  while (!clears(n)) n++;
  return n;
}

export function marginCheck(input: MarginInputs): MarginCheck {
  const { metricKey, marginPoints: margin } = input;
  const figures = `${metricKey} ${points(input.baseValue)} → ${points(input.currentValue)}`;
  const metric: Metric | undefined = Object.hasOwn(METRICS, metricKey) ? METRICS[metricKey as keyof typeof METRICS] : undefined;
  const { gold, base, current } = input;
  const rows = gold === undefined || base === undefined || current === undefined
    ? undefined : alignRows(gold, base, current, 'labels') ?? alignRows(gold, base, current, 'scores');
  if (rows === undefined || metric === undefined) {
    const detail = `${figures}: no paired interval: needs per-row predictions in both reports (schema version 2)`;
    return { status: 'inconclusive', detail };
  }
  const interval = pairedBootstrapDifference(rows.gold, rows.a, rows.b, metric, PAIRED_BOOTSTRAP);
  const [drop, low, high] = [(metric(rows.gold, rows.a) - metric(rows.gold, rows.b)) * 100, interval.low * 100, interval.high * 100];
  const marginText = `the margin of ${margin} point${margin === 1 ? '' : 's'}`;
  const line = `${figures}: drop ${signed(drop, 2).replace('+', '')} points, 95% CI ${signed(low, 2)} to ${signed(high, 2)} (paired bootstrap)`;
  if (high < margin) return { status: 'pass', detail: `${line}, below ${marginText}` };
  if (low > margin) return { status: 'fail', detail: `${line}, above ${marginText}` };
  const moreRows = Math.max(1, rowsToDecide(rows.gold.length, drop, low, high, margin));
  const decide = Number.isFinite(moreRows)
    ? `about ${moreRows} more rows would decide it${splitNote(moreRows, rows.gold.length, input)}`
    : 'the drop sits on the margin, so no number of rows would decide it';
  return { status: 'inconclusive', moreRows, detail: `${line}, across ${marginText}: ${decide}` };
}

/** Where the dev split has fewer unscored rows than it would take: say so, so no one waits for a rerun that cannot decide. */
function splitNote(moreRows: number, scored: number, input: MarginInputs): string {
  const task = GLUE_TASKS.find((t) => t.id === input.task);
  if (task === undefined) return '';
  if (input.subset.kind === 'all') return `; more than the ${task.name} dev split has left (all ${scored} rows were scored)`;
  const left = Math.max(0, task.devExamples - scored);
  return moreRows > left ? `; more than the ${left} rows the ${task.name} dev split has left (it has ${task.devExamples})` : '';
}
