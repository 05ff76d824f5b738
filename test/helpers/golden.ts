import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINTS } from './paths.js';

export interface GoldenTensor { dtype: string; shape: number[]; data: number[] }
export interface GoldenCase { name: string; inputs: Record<string, GoldenTensor>; outputs: Record<string, GoldenTensor> }
export interface Golden { model: string; architecture: string; cases: GoldenCase[] }

export function readGolden(name: string): Golden {
  return JSON.parse(fs.readFileSync(path.join(CHECKPOINTS, name, 'golden.json'), 'utf8')) as Golden;
}

/**
 * The largest |actual - expected| with expected rounded to float32; Infinity when the lengths differ.
 * One NaN makes the result NaN, so `diff <= tolerance` fails however the other elements compare.
 */
export function maxAbsDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs((actual[i] as number) - Math.fround(expected[i] as number));
    if (Number.isNaN(d)) return NaN;
    if (d > worst) worst = d;
  }
  return worst;
}
