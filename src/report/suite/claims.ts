import { mb, ms, points, signed } from '../../util/format.js';
import type { SuiteClaim, SuiteFamily, SuiteRow } from '../model/suite-types.js';

/** "As accurate" on the suite: ALBERT's GLUE average at most this many points below BERT's (the papers' tables differ by more). */
const AS_ACCURATE_POINTS = 1;

interface Pair { readonly albert: SuiteRow; readonly bert: SuiteRow }

function lossText(deltaPoints: number): string {
  const rounded = Number(Math.abs(deltaPoints).toFixed(1));
  if (rounded === 0) return 'matches BERT\'s GLUE average';
  return `${deltaPoints < 0 ? 'loses' : 'gains'} ${rounded.toFixed(1)} GLUE point${rounded === 1 ? '' : 's'}`;
}

function costClaim({ albert, bert }: Pair): SuiteClaim {
  const id = `glue-cost:${albert.variant}`;
  const claim = `ALBERT ${albert.variant} is as accurate as BERT ${albert.variant} across the suite (within ${AS_ACCURATE_POINTS} GLUE point) for less disk`;
  if (albert.glueAverage === undefined || bert.glueAverage === undefined || albert.meanSizeBytes === undefined || bert.meanSizeBytes === undefined) {
    return { id, claim, verdict: 'not measured', evidence: `${albert.id} or ${bert.id} did not complete every task` };
  }
  const delta = (albert.glueAverage - bert.glueAverage) * 100;
  const ratio = bert.meanSizeBytes / albert.meanSizeBytes;
  const disk = ratio >= 1 ? `${ratio.toFixed(1)}x less disk` : `${(1 / ratio).toFixed(1)}x more disk`;
  const evidence = `ALBERT ${albert.variant} ${lossText(delta)} for ${disk} than BERT ${bert.variant}: GLUE average `
    + `${points(albert.glueAverage, 1)} vs ${points(bert.glueAverage, 1)} (${signed(delta, 1)}), `
    + `mean file ${mb(albert.meanSizeBytes)} MB vs ${mb(bert.meanSizeBytes)} MB`;
  return { id, claim, verdict: delta >= -AS_ACCURATE_POINTS && ratio > 1 ? 'supported' : 'not supported', evidence };
}

function latencyClaim({ albert, bert }: Pair): SuiteClaim {
  const id = `glue-latency:${albert.variant}`;
  const claim = `ALBERT ${albert.variant} is faster than BERT ${albert.variant} on the suite's task models`;
  if (albert.meanP50Ms === undefined || bert.meanP50Ms === undefined) {
    return { id, claim, verdict: 'not measured', evidence: `${albert.id} or ${bert.id} has no latency on every task` };
  }
  const evidence = `mean p50 ${ms(albert.meanP50Ms)} ms vs ${ms(bert.meanP50Ms)} ms (the first grid point, averaged over the tasks)`;
  return { id, claim, verdict: albert.meanP50Ms < bert.meanP50Ms ? 'supported' : 'not supported', evidence };
}

/**
 * The ALBERT claims on the suite, per variant: the first ALBERT family against the first BERT
 * family (by the checkpoints' model_type), on the GLUE average, mean file size and mean latency.
 * Empty when the suite lacks either kind.
 */
export function suiteClaims(families: readonly SuiteFamily[], rows: readonly SuiteRow[]): SuiteClaim[] {
  const albert = families.find((f) => f.modelType === 'albert');
  const bert = families.find((f) => f.modelType === 'bert');
  if (albert === undefined || bert === undefined) return [];
  return rows.filter((r) => r.family === albert.id).flatMap((a) => {
    const b = rows.find((r) => r.family === bert.id && r.variant === a.variant);
    return b === undefined ? [] : [costClaim({ albert: a, bert: b }), latencyClaim({ albert: a, bert: b })];
  });
}

/** What the renderers print when there are no claims. */
export const NO_SUITE_CLAIMS = 'No claims tested: the suite needs a BERT and an ALBERT family (by their checkpoints\' model_type).';
