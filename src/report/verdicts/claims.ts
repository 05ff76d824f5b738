import { fp32Of, headlineMetric, samePoint } from '../model/figures.js';
import { beyondNoise, noiseMs } from './noise.js';
import { gflop, int, mb, ms, points } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import { accuracyTieText, differingText, variantDifference } from './paired.js';
import type { ClaimCheck, ClaimId, CompletedVariant, LatencyPoint, ModelFacts, Report } from '../model/types.js';

/** What the claims need; a report under construction (no claims yet) has it too. */
export type ReportFigures = Pick<Report, 'models' | 'variants' | 'gold'>;

const CLAIMS: Record<ClaimId, string> = {
  'fewer-params': 'ALBERT has far fewer parameters than BERT',
  'smaller-files': "ALBERT's files are smaller",
  'less-compute': 'ALBERT needs less compute',
  'faster-inference': 'ALBERT is faster at inference',
  'as-accurate': 'ALBERT is as accurate as BERT',
};
/** "Far fewer" is taken to mean at most half. */
const FAR_FEWER_RATIO = 0.5;
/** FLOP counts within 5% are the same compute: the factorised projection and activations move them a little. */
const SAME_COMPUTE_RATIO = 0.95;

/**
 * Tests the usual claims about ALBERT with this report's own figures, ALBERT against BERT, preferring
 * a pair of the same width and depth (the claims are about architecture, so anything else is
 * flagged in the evidence). Sharing layers shrinks what is stored, not what runs: the compute and
 * latency claims are where the article's reading usually fails. A latency or accuracy difference
 * within noise (beyondNoise; the paired test of paired.ts) is 'indistinguishable', never a verdict.
 */
export function albertClaims(report: ReportFigures): ClaimCheck[] {
  const pair = pickPair(report.models);
  if (typeof pair === 'string') return (Object.keys(CLAIMS) as ClaimId[]).map((id) => notMeasured(id, pair));
  const { albert, bert } = pair;
  const context = likeWithLike(albert, bert);
  const albertFp32 = fp32Of(report, albert.id);
  const bertFp32 = fp32Of(report, bert.id);
  return [
    fewerParams(albert, bert, context),
    smallerFiles(albertFp32, bertFp32, context),
    lessCompute(albert, bert, albertFp32, bertFp32, context),
    fasterInference(albertFp32, bertFp32, context),
    asAccurate(report, albertFp32, bertFp32, context),
  ];
}

function pickPair(models: readonly ModelFacts[]): { albert: ModelFacts; bert: ModelFacts } | string {
  const alberts = models.filter((m) => m.modelType === 'albert');
  const berts = models.filter((m) => m.modelType === 'bert');
  const [firstAlbert] = alberts;
  const [firstBert] = berts;
  if (firstAlbert === undefined || firstBert === undefined) {
    return `the report has no ${firstAlbert === undefined ? 'ALBERT' : 'BERT'} model to compare`;
  }
  for (const albert of alberts) {
    const bert = berts.find((b) => b.hiddenSize === albert.hiddenSize && b.layers === albert.layers);
    if (bert !== undefined) return { albert, bert };
  }
  return { albert: firstAlbert, bert: firstBert };
}

function likeWithLike(a: ModelFacts, b: ModelFacts): string {
  if (a.hiddenSize === b.hiddenSize && a.layers === b.layers) return `like for like: both hidden ${a.hiddenSize}, ${a.layers} layers`;
  return `not like for like: ALBERT ${a.id} is hidden ${a.hiddenSize} x ${a.layers} layers, BERT ${b.id} hidden ${b.hiddenSize} x ${b.layers} layers,`
    + ' so part of any difference is model size';
}

function check(id: ClaimId, verdict: ClaimCheck['verdict'], evidence: string): ClaimCheck {
  return { id, claim: CLAIMS[id], verdict, evidence };
}

function notMeasured(id: ClaimId, why: string): ClaimCheck {
  return check(id, 'not measured', `${why[0]?.toUpperCase() ?? ''}${why.slice(1)}.`);
}

const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

function fewerParams(albert: ModelFacts, bert: ModelFacts, context: string): ClaimCheck {
  const a = albert.params.unique;
  const b = bert.params.unique;
  const verdict = a <= FAR_FEWER_RATIO * b ? 'supported' : 'not supported';
  const far = verdict === 'supported' || a >= b ? '' : ' (fewer, but "far fewer" is taken as at most half)';
  const groups = `${albert.groups} group${albert.groups === 1 ? '' : 's'}`;
  const sharing = `ALBERT's embeddings are ${albert.embeddingSize} wide and its ${albert.layers} layers share ${groups}`;
  return check('fewer-params', verdict, `Unique parameters: ALBERT ${int(a)} vs BERT ${int(b)} (${ratio(a, b)})${far}; ${sharing}; ${context}.`);
}

function smallerFiles(albert: CompletedVariant | undefined, bert: CompletedVariant | undefined, context: string): ClaimCheck {
  if (albert === undefined || bert === undefined) {
    return notMeasured('smaller-files', `no completed fp32 variant of ${albert === undefined ? 'ALBERT' : 'BERT'}`);
  }
  const verdict = albert.sizeBytes < bert.sizeBytes ? 'supported' : 'not supported';
  const sizes = `ALBERT ${mb(albert.sizeBytes)} MB vs BERT ${mb(bert.sizeBytes)} MB (${ratio(albert.sizeBytes, bert.sizeBytes)})`;
  return check('smaller-files', verdict, `fp32 ONNX files: ${sizes}; ${context}.`);
}

/** The first grid point both fp32 variants measured, so latency and FLOPs compare like with like. */
function commonPoint(albert: CompletedVariant, bert: CompletedVariant): { a: LatencyPoint; b: LatencyPoint } | undefined {
  for (const a of albert.latency) {
    const b = bert.latency.find((p) => samePoint(p, a));
    if (b !== undefined) return { a, b };
  }
  return undefined;
}

function lessCompute(
  albertModel: ModelFacts, bertModel: ModelFacts, albert: CompletedVariant | undefined, bert: CompletedVariant | undefined, context: string,
): ClaimCheck {
  const executed = `executed parameters ALBERT ${int(albertModel.params.executed)} vs BERT ${int(bertModel.params.executed)}`
    + ' (embedding tables count there but are looked up, not multiplied)';
  const common = albert && bert ? commonPoint(albert, bert) : undefined;
  if (common === undefined || common.a.flops === 0 || common.b.flops === 0) {
    return notMeasured('less-compute', `no FLOP counts at a grid point both fp32 variants ran; ${executed}`);
  }
  const { a, b } = common;
  const verdict = a.flops < SAME_COMPUTE_RATIO * b.flops ? 'supported' : 'not supported';
  const why = verdict === 'supported' ? '' : ': sharing layers saves storage, not compute, since every layer still runs';
  const flops = `ALBERT ${gflop(a.flops)} GFLOP vs BERT ${gflop(b.flops)} GFLOP (${ratio(a.flops, b.flops)})`;
  return check('less-compute', verdict, `FLOPs per run at ${gridLabel(a)}: ${flops}${why}; ${executed}; ${context}.`);
}

function fasterInference(albert: CompletedVariant | undefined, bert: CompletedVariant | undefined, context: string): ClaimCheck {
  const common = albert && bert ? commonPoint(albert, bert) : undefined;
  if (common === undefined) return notMeasured('faster-inference', 'no latency at a grid point both fp32 variants ran');
  const { a, b } = common;
  const distinguishable = beyondNoise(b, a);
  const verdict = !distinguishable ? 'indistinguishable' : a.p50Ms < b.p50Ms ? 'supported' : 'not supported';
  const noise = distinguishable ? '' : `; the difference is within the noise, ±${ms(noiseMs(a, b))} ms: the between-round spread or the margins of error`;
  return check('faster-inference', verdict,
    `fp32 p50 at ${gridLabel(a)}: ALBERT ${ms(a.p50Ms)} ms vs BERT ${ms(b.p50Ms)} ms (${ratio(a.p50Ms, b.p50Ms)}${noise}); ${context}.`);
}

/** The task's score on the same dev rows, tested on the paired predictions with the score's own test; without them (version 1) only the figures. */
function asAccurate(report: ReportFigures, albert: CompletedVariant | undefined, bert: CompletedVariant | undefined, context: string): ClaimCheck {
  const a = albert === undefined ? undefined : headlineMetric(albert.metrics);
  const b = bert === undefined ? undefined : headlineMetric(bert.metrics);
  if (albert === undefined || bert === undefined || a === undefined || b?.key !== a.key) {
    return notMeasured('as-accurate', 'no headline metric (the task\'s score) both fp32 variants were scored on');
  }
  const figures = `fp32 ${a.key}: ALBERT ${points(a.value)} vs BERT ${points(b.value)} (n=${a.examples})`;
  const d = variantDifference(report.gold, albert, bert);
  if (d === undefined) {
    return check('as-accurate', a.value >= b.value ? 'supported' : 'not supported',
      `${figures}; no paired test (the report has no per-example predictions), so the figures alone decide; ${context}.`);
  }
  if (!d.significant) return check('as-accurate', 'indistinguishable', `${figures}; ${accuracyTieText('ALBERT', 'BERT', d, a.key)}; ${context}.`);
  const verdict = d.difference > 0 ? 'supported' : 'not supported';
  return check('as-accurate', verdict, `${figures}; ${differingText(d)}, a real difference; ${context}.`);
}
