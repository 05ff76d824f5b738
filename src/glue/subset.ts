/**
 * Evaluating on part of a split: the first N rows (`--limit N`) or a seeded sample stratified by
 * label (`--sample N --seed S`). Both return the row indices used, so a report can record exactly
 * which examples a score came from.
 */
import { UsageError } from '../errors.js';
import { seededRandom } from '../util/random.js';
import type { GlueSplitData } from './read-split.js';

/** A seeded, label-stratified slice of the split kept out of the scoring, for a calibrated variant to read instead. */
export interface CalibrationSlice {
  readonly size: number;
  readonly seed: number;
}

/** Which rows to score; with a calibration slice, the limit or sample is taken from the rows outside it. */
export type SubsetRequest = (
  | { kind: 'all' }
  | { kind: 'limit'; limit: number }
  | { kind: 'sample'; size: number; seed: number }
) & { readonly calibrationSlice?: CalibrationSlice };

export interface Subset {
  request: SubsetRequest;
  /** Row indices into the split, ascending (file order). */
  indices: Int32Array;
}

function positiveInteger(flag: string, value: number): number {
  if (Number.isSafeInteger(value) && value >= 1) return value;
  throw new UsageError(`${flag} must be a positive integer, got ${value}`);
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * The stratum of each row: its class id, or for a regression task its score bin (one bin per unit of
 * the score range, STS-B: [0,1), [1,2), [2,3), [3,4), [4,5]).
 */
export function sampleStrata(data: GlueSplitData): Int32Array {
  if (data.kind === 'classification') return data.labels;
  const [min, max] = data.task.range;
  const lastBin = Math.max(0, Math.ceil(max - min) - 1);
  return Int32Array.from(data.labels, (score) => Math.min(Math.floor(score - min), lastBin));
}

/**
 * How many rows each stratum gives to a sample of `size`: proportional to its count, rounded by
 * largest remainder (ties to the larger stratum, then the lower id), so each share is within 1 of
 * `size * count / total` and the shares add up to `size`.
 */
export function allocateProportionally(counts: readonly number[], size: number): number[] {
  const total = counts.reduce((sum, c) => sum + c, 0);
  const shares = counts.map((c) => Math.floor((size * c) / total));
  const remainder = (k: number): number => (size * (counts[k] as number)) % total;
  let left = size - shares.reduce((sum, s) => sum + s, 0);
  const byRemainder = counts
    .map((_, k) => k)
    .sort((a, b) => remainder(b) - remainder(a) || (counts[b] as number) - (counts[a] as number) || a - b);
  for (const k of byRemainder) {
    if (left === 0) break;
    shares[k] = (shares[k] as number) + 1;
    left--;
  }
  return shares;
}

/** A seeded sample of `size` rows, stratified by `strata` (small non-negative ids); ascending indices. */
export function stratifiedSample(strata: Int32Array, size: number, seed: number): Int32Array {
  if (size >= strata.length) return range(strata.length);
  const members: number[][] = [];
  strata.forEach((stratum, row) => {
    if (stratum < 0) throw new RangeError(`stratum ids must be non-negative, got ${stratum} at row ${row}`);
    (members[stratum] ??= []).push(row);
  });
  const groups = Array.from(members, (rows) => rows ?? []);
  const shares = allocateProportionally(groups.map((rows) => rows.length), size);
  const random = seededRandom(seed);
  const chosen = new Int32Array(size);
  let filled = 0;
  groups.forEach((rows, k) => {
    // Partial Fisher-Yates: the first `share` places end up a uniform sample of the stratum.
    const share = shares[k] as number;
    for (let i = 0; i < share; i++) {
      const j = i + random.below(rows.length - i);
      const picked = rows[j] as number;
      rows[j] = rows[i] as number;
      rows[i] = picked;
      chosen[filled++] = picked;
    }
  });
  return chosen.sort();
}

/** The rows of a calibration slice, ascending: a label-stratified sample, so calibration sees every class. */
export function heldOutRows(data: GlueSplitData, slice: CalibrationSlice): Int32Array {
  const rowCount = data.textA.length;
  if (!(Number.isSafeInteger(slice.size) && slice.size >= 1 && slice.size < rowCount && Number.isSafeInteger(slice.seed))) {
    throw new UsageError(`a calibration slice of ${slice.size} rows (seed ${slice.seed}) must leave rows of ${data.file}'s ${rowCount} to score`);
  }
  return stratifiedSample(sampleStrata(data), slice.size, slice.seed);
}

function selectRows(data: GlueSplitData, request: SubsetRequest): Int32Array {
  const rowCount = data.textA.length;
  switch (request.kind) {
    case 'all':
      return range(rowCount);
    case 'limit':
      return range(Math.min(positiveInteger('--limit', request.limit), rowCount));
    case 'sample': {
      const size = positiveInteger('--sample', request.size);
      if (!Number.isSafeInteger(request.seed)) throw new UsageError(`--seed must be an integer, got ${request.seed}`);
      return stratifiedSample(sampleStrata(data), size, request.seed);
    }
  }
}

export function selectSubset(data: GlueSplitData, request: SubsetRequest): Subset {
  const slice = request.calibrationSlice;
  if (slice === undefined) return { request, indices: selectRows(data, request) };
  const held = new Set(heldOutRows(data, slice));
  const outside = range(data.textA.length).filter((i) => !held.has(i));
  // Limit and sample count rows of the split without the slice; their indices map back to the whole split's.
  const chosen = selectRows(takeExamples(data, outside), request);
  return { request, indices: chosen.map((i) => outside[i] as number) };
}

/** The examples at `indices`, in that order, as a split of their own. */
export function takeExamples(data: GlueSplitData, indices: Int32Array): GlueSplitData {
  const pick = (texts: readonly string[]): string[] => Array.from(indices, (i) => texts[i] as string);
  const base = { split: data.split, file: data.file, textA: pick(data.textA), textB: data.textB && pick(data.textB) };
  const label = (i: number): number => data.labels[i] as number;
  return data.kind === 'classification'
    ? { ...base, kind: data.kind, task: data.task, labels: Int32Array.from(indices, label) }
    : { ...base, kind: data.kind, task: data.task, labels: Float64Array.from(indices, label) };
}
