import { mb, ms, points, signed } from '../../util/format.js';
import type { SuiteClaim, SuiteFamily, SuiteRow } from '../model/suite-types.js';
import { averageTestText, judgeRows, type SuiteNoise } from './noise.js';

/** "As accurate" on the suite: ALBERT's GLUE average at most this many points below BERT's (the papers' tables differ by more). */
const AS_ACCURATE_POINTS = 1;

interface Pair { readonly albert: SuiteRow; readonly bert: SuiteRow }

function lossText(deltaPoints: number): string {
  const rounded = Number(Math.abs(deltaPoints).toFixed(1));
  if (rounded === 0) return 'matches BERT\'s GLUE average';
  return `${deltaPoints < 0 ? 'loses' : 'gains'} ${rounded.toFixed(1)} GLUE point${rounded === 1 ? '' : 's'}`;
}

/**
 * As accurate for less disk: the disk part is exact; the accuracy part rests on the paired
 * bootstrap of the GLUE-average difference, so a difference it cannot tell from 0 is a tie, said
 * as one, never a gain or a loss.
 */
function costClaim({ albert, bert }: Pair, noise: SuiteNoise): SuiteClaim {
  const id = `glue-cost:${albert.variant}`;
  const claim = `ALBERT ${albert.variant} is as accurate as BERT ${albert.variant} across the suite (within ${AS_ACCURATE_POINTS} GLUE point) for less disk`;
  if (albert.glueAverage === undefined || bert.glueAverage === undefined || albert.meanSizeBytes === undefined || bert.meanSizeBytes === undefined) {
    return { id, claim, verdict: 'not measured', evidence: `${albert.id} or ${bert.id} did not complete every task` };
  }
  const delta = (albert.glueAverage - bert.glueAverage) * 100;
  const ratio = bert.meanSizeBytes / albert.meanSizeBytes;
  const disk = ratio >= 1 ? `${ratio.toFixed(1)}x less disk` : `${(1 / ratio).toFixed(1)}x more disk`;
  const figures = `GLUE average ${points(albert.glueAverage, 1)} vs ${points(bert.glueAverage, 1)} (${signed(delta, 1)}), `
    + `mean file ${mb(albert.meanSizeBytes)} MB vs ${mb(bert.meanSizeBytes)} MB`;
  const d = noise.average(albert, bert);
  const smaller = ratio > 1;
  if (d !== undefined && !d.significant) {
    const evidence = `ALBERT ${albert.variant}'s GLUE average is indistinguishable from BERT ${bert.variant}'s: ${signed(delta, 1)} points `
      + `(${averageTestText(d)}), for ${disk}: ${figures}`;
    return { id, claim, verdict: smaller ? 'indistinguishable' : 'not supported', evidence };
  }
  const test = d === undefined ? ' (no paired test: a task report lacks per-row predictions)' : ` (${averageTestText(d)})`;
  const evidence = `ALBERT ${albert.variant} ${lossText(delta)}${test} for ${disk} than BERT ${bert.variant}: ${figures}`;
  return { id, claim, verdict: delta >= -AS_ACCURATE_POINTS && smaller ? 'supported' : 'not supported', evidence };
}

/** Faster only beyond the tasks' own noise (their between-round spreads and margins of error, averaged over the tasks). */
function latencyClaim({ albert, bert }: Pair, noise: SuiteNoise): SuiteClaim {
  const id = `glue-latency:${albert.variant}`;
  const claim = `ALBERT ${albert.variant} is faster than BERT ${albert.variant} on the suite's task models`;
  if (albert.meanP50Ms === undefined || bert.meanP50Ms === undefined) {
    return { id, claim, verdict: 'not measured', evidence: `${albert.id} or ${bert.id} has no latency on every task` };
  }
  const figures = `mean p50 ${ms(albert.meanP50Ms)} ms vs ${ms(bert.meanP50Ms)} ms (the first grid point, averaged over the tasks)`;
  const tie = judgeRows(noise, 'latency', albert, bert).tie;
  if (tie !== undefined) {
    const within = noise.latencyNoiseMs(albert, bert) ?? 0;
    const evidence = `${figures}, within the noise of ±${ms(within)} ms (the tasks' between-round spreads or margins of error, averaged)`;
    return { id, claim, verdict: 'indistinguishable', evidence };
  }
  return { id, claim, verdict: albert.meanP50Ms < bert.meanP50Ms ? 'supported' : 'not supported', evidence: figures };
}

/**
 * The ALBERT claims on the suite, per variant: the first ALBERT family against the first BERT
 * family (by the checkpoints' model_type), on the GLUE average, mean file size and mean latency,
 * each judged with the task reports' noise rules (noise.ts). Empty when the suite lacks either kind.
 */
export function suiteClaims(families: readonly SuiteFamily[], rows: readonly SuiteRow[], noise: SuiteNoise): SuiteClaim[] {
  const albert = families.find((f) => f.modelType === 'albert');
  const bert = families.find((f) => f.modelType === 'bert');
  if (albert === undefined || bert === undefined) return [];
  return rows.filter((r) => r.family === albert.id).flatMap((a) => {
    const b = rows.find((r) => r.family === bert.id && r.variant === a.variant);
    return b === undefined ? [] : [costClaim({ albert: a, bert: b }, noise), latencyClaim({ albert: a, bert: b }, noise)];
  });
}

/** What the renderers print when there are no claims. */
export const NO_SUITE_CLAIMS = 'No claims tested: the suite needs a BERT and an ALBERT family (by their checkpoints\' model_type).';
