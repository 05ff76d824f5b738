import { albertClaims } from '../../src/report/verdicts/claims.js';
import { withDifferencesVsFp32 } from '../../src/report/verdicts/paired.js';
import { recommend } from '../../src/report/verdicts/recommend.js';
import type { CompletedVariant, LatencyPoint, ModelFacts, Report, RowValues, VariantName, VariantResult } from '../../src/report/model/types.js';

/**
 * A synthetic report for the renderers, claims and regress tests: the shape of what `albench compare
 * bert albert` writes for the two bundled SST-2 models (hidden 128, 4 layers), with invented figures of
 * the right magnitude; nothing in it was measured. Its env.os says so, so a copy that escapes into docs
 * or a baseline shows it. albert/fp32-optimized failed, so every renderer meets a failed variant.
 * Its per-row predictions are invented too, built so that each variant's accuracy and agreement with
 * fp32 follow from them (samplePredictions), so the paired tests run on figures that agree.
 */
export type DeepMutable<T> = T extends (infer U)[] ? DeepMutable<U>[] : T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

/** A copy tests may edit. */
export function editable(report: Report): DeepMutable<Report> {
  return structuredClone(report) as DeepMutable<Report>;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** When the synthetic timings were "measured", shortly before the report was written. */
export const SAMPLE_MEASURED_AT = '2026-11-25T22:55:02.000Z';

/**
 * A latency point whose spread figures agree with each other (rme from stdev and samples; three
 * rounds whose median is p50Ms and whose highest minus lowest is spreadMs, 1.8% of p50 unless given).
 */
export function latencyPoint(
  batchSize: number, p50Ms: number, stdevMs: number, samples: number, flops: number, spreadMs = round(p50Ms * 0.018),
): DeepMutable<LatencyPoint> {
  const meanMs = round(p50Ms * 1.02);
  const roundP50sMs = [round(p50Ms + 0.6 * spreadMs), p50Ms, round(p50Ms - 0.4 * spreadMs)];
  return {
    batchSize, sequenceLength: 128,
    p50Ms, p90Ms: round(p50Ms * 1.07), p99Ms: round(p50Ms * 1.28), meanMs, stdevMs,
    rmePercent: round(((1.96 * stdevMs) / Math.sqrt(samples) / meanMs) * 100),
    samples, flops, achievedGflopsPerSecond: round(flops / meanMs / 1e6, 1),
    rounds: roundP50sMs.length, roundP50sMs, spreadMs: round(Math.max(...roundP50sMs) - Math.min(...roundP50sMs)),
    measuredAt: SAMPLE_MEASURED_AT, loadAverage1m: 0.12, reused: false,
  };
}

const BERT_FLOPS_B1 = 234_914_304;
const ALBERT_FLOPS_B1 = 235_962_880;

const models: ModelFacts[] = [
  { id: 'bert', source: 'models/bert-sst2-mini', sourceDigest: 'b'.repeat(64), modelType: 'bert', hiddenSize: 128, embeddingSize: 128, layers: 4, groups: 1, params: { unique: 4_782_722, executed: 4_782_722 } },
  { id: 'albert', source: 'models/albert-sst2-mini', sourceDigest: 'a'.repeat(64), modelType: 'albert', hiddenSize: 128, embeddingSize: 32, layers: 4, groups: 1, params: { unique: 1_195_778, executed: 1_790_594 } },
];

const ROWS = 872;
/** SST-2's dev set has 872 rows; the invented gold labels alternate. */
export const SAMPLE_GOLD: RowValues = { rows: [...Array(ROWS).keys()], labels: [...Array(ROWS).keys()].map((i) => i % 2) };

/**
 * Predictions right on the first `fp32Correct` rows and wrong on the rest (the model's fp32), then
 * changed on `onlyFp32Correct` rows fp32 got right (from the first) and `onlyThisCorrect` rows it got wrong.
 */
export function samplePredictions(fp32Correct: number, onlyFp32Correct = 0, onlyThisCorrect = 0): { rows: number[]; labels: number[] } {
  const labels = SAMPLE_GOLD.rows.map((row, i) => {
    const gold = SAMPLE_GOLD.labels?.[i] ?? 0;
    const right = row < fp32Correct ? row >= onlyFp32Correct : row < fp32Correct + onlyThisCorrect;
    return right ? gold : 1 - gold;
  });
  return { rows: [...SAMPLE_GOLD.rows], labels };
}

interface Figures {
  sizeBytes: number; fp32Correct: number; vsFp32?: [number, number]; ci: [number, number];
  p50: [number, number]; stdev: [number, number]; rssMb: [number, number];
}

function completed(model: ModelFacts, variant: VariantName, f: Figures): CompletedVariant {
  const flops = model.modelType === 'bert' ? BERT_FLOPS_B1 : ALBERT_FLOPS_B1;
  const [onlyFp32, onlyThis] = f.vsFp32 ?? [0, 0];
  const correct = f.fp32Correct - onlyFp32 + onlyThis;
  const agree = ROWS - onlyFp32 - onlyThis;
  return {
    id: `${model.id}/${variant}`, model: model.id, variant, state: 'completed',
    file: `reports/.cache/${model.id}/${variant}.onnx`,
    sizeBytes: f.sizeBytes,
    params: model.params,
    metrics: [{ key: 'accuracy', value: round(correct / ROWS, 5), examples: ROWS, ci95Low: f.ci[0], ci95High: f.ci[1], agreementWithFp32: round(agree / ROWS, 5) }],
    latency: [latencyPoint(1, f.p50[0], f.stdev[0], 1000, flops), latencyPoint(8, f.p50[1], f.stdev[1], 200, flops * 8)],
    memory: { peakRssAfterLoadBytes: f.rssMb[0] * 1e6, peakRssAfterRunsBytes: f.rssMb[1] * 1e6 },
    predictions: samplePredictions(f.fp32Correct, onlyFp32, onlyThis),
  };
}

const [bert, albert] = models as [ModelFacts, ModelFacts];

// int8-dynamic: bert loses 7 of fp32's right rows and gains 4 (687 right), albert loses 8 and gains 4 (699).
const variants: VariantResult[] = [
  completed(bert, 'fp32', { sizeBytes: 19_153_420, fp32Correct: 690, ci: [0.7638, 0.8177], p50: [3.1, 21.4], stdev: [0.21, 0.9], rssMb: [96.2, 121.5] }),
  completed(bert, 'fp32-optimized', { sizeBytes: 19_149_876, fp32Correct: 690, ci: [0.7638, 0.8177], p50: [2.71, 18.9], stdev: [0.18, 0.8], rssMb: [95.8, 119.9] }),
  completed(bert, 'int8-dynamic', {
    sizeBytes: 5_021_304, fp32Correct: 690, vsFp32: [7, 4], ci: [0.7603, 0.8142], p50: [1.92, 11.8], stdev: [0.15, 0.6], rssMb: [82.3, 104.9],
  }),
  completed(albert, 'fp32', { sizeBytes: 4_801_234, fp32Correct: 703, ci: [0.7798, 0.8314], p50: [3.18, 21.9], stdev: [0.22, 0.95], rssMb: [80.1, 103.6] }),
  {
    id: 'albert/fp32-optimized', model: 'albert', variant: 'fp32-optimized', state: 'failed',
    error: { code: 'BAD_ONNX', message: 'reports/.cache/albert/fp32-optimized.onnx: onnxruntime rejected the optimized graph (SkipLayerNormalization fusion across the shared layer group); run with --variants fp32,int8-dynamic to skip it' },
  },
  completed(albert, 'int8-dynamic', {
    sizeBytes: 1_379_560, fp32Correct: 703, vsFp32: [8, 4], ci: [0.7752, 0.828], p50: [2.05, 12.6], stdev: [0.16, 0.65], rssMb: [72.4, 94],
  }),
];

export function sampleReport(): Report {
  const figures = { models, variants: withDifferencesVsFp32({ gold: SAMPLE_GOLD, variants }), gold: SAMPLE_GOLD };
  return structuredClone({
    schemaVersion: 2,
    albenchVersion: '0.1.0',
    createdAt: '2026-11-25T22:57:14.000Z',
    env: {
      cpuModel: 'Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz', cpuFlags: ['avx2', 'avx512f', 'avx512_vnni'],
      logicalCores: 2, memoryBytes: 8_340_000_000, os: 'Linux 6.8.0 x64 (SYNTHETIC sample report: invented figures, nothing measured)', node: 'v20.20.2', onnxruntime: '1.30.0',
      device: 'cpu', executionProvider: 'CPUExecutionProvider', threads: 2,
    },
    settings: {
      task: 'sst2', subset: { kind: 'all' }, batchSizes: [1, 8], sequenceLengths: [128],
      variants: ['fp32', 'fp32-optimized', 'int8-dynamic'], warmupIterations: 20, constraints: {},
    },
    ...figures,
    recommendation: recommend(figures.variants, {}, SAMPLE_GOLD),
    claims: albertClaims(figures),
  } satisfies Report);
}

/**
 * A version-1 report: what albench 0.1.0 wrote, without predictions, gold, digests, paired differences,
 * recipes or the timing rounds of each latency point.
 */
export function versionOneReport(): DeepMutable<Report> {
  const r = editable(sampleReport());
  (r as { schemaVersion: number }).schemaVersion = 1;
  delete r.gold;
  for (const m of r.models) delete m.sourceDigest;
  for (const v of r.variants) {
    if (v.state !== 'completed') continue;
    delete v.predictions;
    delete v.recipe;
    for (const m of v.metrics) delete m.differenceVsFp32;
    v.latency = v.latency.map(({ rounds: _r, roundP50sMs: _p, spreadMs: _s, measuredAt: _m, loadAverage1m: _l, reused: _u, ...v1 }) => v1 as typeof v.latency[number]);
  }
  r.claims = r.claims.filter((c) => c.id !== 'as-accurate');
  return r;
}
