/**
 * The GLUE metrics, computed the way scikit-learn and scipy compute them (the functions behind
 * HF `evaluate`'s GLUE metric and run_glue.py), so scores are comparable with published ones.
 * Every function takes the gold values first and the predictions second. An undefined value
 * (a correlation of constant input, a metric of no examples) is NaN, never 0, so a report can
 * say "undefined" rather than show a number that looks measured.
 */

import type { MetricKey } from './tasks.js';

export type Metric = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number;

/** What a 0/0 precision, recall or F1 becomes; sklearn's `zero_division` ('warn' behaves as 0). */
type ZeroDivision = 0 | 1;

interface BinaryCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

function checkSameLength(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`labels and predictions differ in length: ${yTrue.length} vs ${yPred.length}`);
  }
  return yTrue.length;
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkSameLength(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / n;
}

/** Confusion counts for positive class 1; any value other than 0 and 1 is refused, as sklearn does. */
function binaryCounts(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): BinaryCounts {
  const n = checkSameLength(yTrue, yPred);
  const counts: BinaryCounts = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if ((t !== 0 && t !== 1) || (p !== 0 && p !== 1)) {
      throw new RangeError(
        `binary precision/recall/F1 needs labels 0 and 1, found ${String(t)} / ${String(p)} at index ${i}; ` +
          'the task is multiclass',
      );
    }
    if (t === 1) {
      if (p === 1) counts.truePositives++;
      else counts.falseNegatives++;
    } else if (p === 1) counts.falsePositives++;
    else counts.trueNegatives++;
  }
  return counts;
}

function ratio(numerator: number, denominator: number, zeroDivision: ZeroDivision): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

export function precision(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, zeroDivision: ZeroDivision = 0): number {
  const c = binaryCounts(yTrue, yPred);
  return ratio(c.truePositives, c.truePositives + c.falsePositives, zeroDivision);
}

export function recall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, zeroDivision: ZeroDivision = 0): number {
  const c = binaryCounts(yTrue, yPred);
  return ratio(c.truePositives, c.truePositives + c.falseNegatives, zeroDivision);
}

/**
 * Binary F1 of class 1 from the counts (2TP / (2TP + FP + FN)), as sklearn >= 1.8 does: no
 * positive predictions gives 0, and `zeroDivision` applies only when there are no positives at all.
 */
export function f1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, zeroDivision: ZeroDivision = 0): number {
  const c = binaryCounts(yTrue, yPred);
  return ratio(2 * c.truePositives, 2 * c.truePositives + c.falsePositives + c.falseNegatives, zeroDivision);
}

/**
 * Matthews correlation in sklearn's multiclass form (which equals the binary one for two classes),
 * from the confusion matrix with integer-valued sums, one sqrt and one division so the double
 * matches sklearn's exactly. It is 0 when labels or predictions are constant, as in sklearn.
 */
export function matthewsCorrelation(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkSameLength(yTrue, yPred);
  const classOf = new Map<number, number>();
  const classIndex = (label: number): number => {
    let k = classOf.get(label);
    if (k === undefined) {
      k = classOf.size;
      classOf.set(label, k);
    }
    return k;
  };
  const trueIds = new Int32Array(n);
  const predIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    trueIds[i] = classIndex(yTrue[i] as number);
    predIds[i] = classIndex(yPred[i] as number);
  }
  const trueSum = new Float64Array(classOf.size);
  const predSum = new Float64Array(classOf.size);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = trueIds[i] as number;
    const p = predIds[i] as number;
    trueSum[t]! += 1;
    predSum[p]! += 1;
    if (t === p) correct++;
  }
  let truePredDot = 0;
  let predPredDot = 0;
  let trueTrueDot = 0;
  for (let k = 0; k < classOf.size; k++) {
    const t = trueSum[k] as number;
    const p = predSum[k] as number;
    truePredDot += t * p;
    predPredDot += p * p;
    trueTrueDot += t * t;
  }
  const covTruePred = correct * n - truePredDot;
  const covPredPred = n * n - predPredDot;
  const covTrueTrue = n * n - trueTrueDot;
  const denominatorSquared = covPredPred * covTrueTrue;
  return denominatorSquared === 0 ? 0 : covTruePred / Math.sqrt(denominatorSquared);
}

function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/**
 * Pearson's r, two-pass. Constant input is NaN (scipy checks for it explicitly: the mean of equal
 * doubles need not equal them, which would give a meaningless r), and so is n < 2.
 */
export function pearson(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkSameLength(yTrue, yPred);
  if (n < 2 || isConstant(yTrue) || isConstant(yPred)) return Number.NaN;
  let sumTrue = 0;
  let sumPred = 0;
  for (let i = 0; i < n; i++) {
    sumTrue += yTrue[i] as number;
    sumPred += yPred[i] as number;
  }
  const meanTrue = sumTrue / n;
  const meanPred = sumPred / n;
  let cross = 0;
  let squaresTrue = 0;
  let squaresPred = 0;
  for (let i = 0; i < n; i++) {
    const dt = (yTrue[i] as number) - meanTrue;
    const dp = (yPred[i] as number) - meanPred;
    cross += dt * dp;
    squaresTrue += dt * dt;
    squaresPred += dp * dp;
  }
  const r = cross / Math.sqrt(squaresTrue * squaresPred);
  return Math.max(-1, Math.min(1, r));
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const value = values[order[start] as number];
    while (end < n && values[order[end] as number] === value) end++;
    const shared = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) ranks[order[j] as number] = shared;
    start = end;
  }
  return ranks;
}

/** Spearman's rho: Pearson's r of the average ranks. */
export function spearman(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  return pearson(averageRanks(yTrue), averageRanks(yPred));
}

/** The combined MRPC/QQP score. */
export function accuracyAndF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return (accuracy(yTrue, yPred) + f1(yTrue, yPred)) / 2;
}

/** The combined STS-B score; NaN when either correlation is undefined. */
export function pearsonAndSpearman(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return (pearson(yTrue, yPred) + spearman(yTrue, yPred)) / 2;
}

/** Each metric key, as GLUE tasks name them, with the function that computes it. */
export const METRICS: Readonly<Record<MetricKey, Metric>> = {
  accuracy,
  f1,
  mcc: matthewsCorrelation,
  acc_and_f1: accuracyAndF1,
  pearson,
  spearman,
  pearson_and_spearman: pearsonAndSpearman,
};
