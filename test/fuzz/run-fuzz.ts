import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../src/util/random.js';
import { mutate } from './mutate.js';
import { isExpectedError, type FuzzTarget } from './targets.js';

export interface FuzzResult { readonly target: string; readonly runs: number; readonly accepted: number; readonly refused: number; readonly crashes: ReadonlyArray<{ readonly seed: number; readonly error: string }> }

/** Runs `iterations` mutated inputs through a target; every crash is kept with the seed that makes it. */
export function fuzzTarget(target: FuzzTarget, iterations: number, seed: number): FuzzResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-fuzz-'));
  const seeds = target.seeds();
  let accepted = 0;
  let refused = 0;
  const crashes: Array<{ seed: number; error: string }> = [];
  try {
    for (let i = 0; i < iterations; i++) {
      const caseSeed = seed + i;
      const rand = seededRandom(caseSeed).next;
      const base = seeds[Math.floor(rand() * seeds.length)] ?? new Uint8Array(0);
      // A fresh file per case: rewriting one file in place was ~10x slower on ext4.
      const file = path.join(dir, `input-${i}`);
      try {
        target.run(mutate(base, rand), file);
        accepted++;
      } catch (e) {
        if (isExpectedError(e)) refused++;
        else crashes.push({ seed: caseSeed, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { target: target.name, runs: iterations, accepted, refused, crashes };
}
