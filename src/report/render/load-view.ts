import { ms } from '../../util/format.js';
import type { LoadPool, LoadRun } from '../model/deployment-types.js';
import type { CompletedVariant } from '../model/types.js';
import { NONE, poolText, rateText, type Section } from './deployment-blocks.js';

/** Throughput under load on the CPU: per variant the most it served within the p99 bound, the pool that served it, and every step. */

/** The pool that served the highest rate within the bound; undefined when none served any. */
export function bestPool(pools: readonly LoadPool[]): LoadPool | undefined {
  return pools.reduce<LoadPool | undefined>((best, p) => {
    const t = p.throughputRequestsPerSecond;
    return t !== null && (best === undefined || t > (best.throughputRequestsPerSecond ?? -1)) ? p : best;
  }, undefined);
}

/** Each round's throughput, so the figure (the lowest round's) shows its spread beside it. */
const roundsText = (p: LoadPool) => p.roundThroughputs.map((t) => (t === null ? 'none' : rateText(t))).join(', ');

function throughputText(p: LoadPool, boundMs: number): string {
  if (p.throughputRequestsPerSecond === null) return `none within ${ms(boundMs)} ms p99 (not even the first rate)`;
  const atLeast = p.boundCrossed ? 'at most' : 'at least';
  return `${atLeast} ${rateText(p.throughputRequestsPerSecond)} requests/s within ${ms(boundMs)} ms p99 (rounds: ${roundsText(p)})`;
}

function summaryRow(v: CompletedVariant, run: LoadRun): string[] {
  const load = v.deployment?.load;
  if (load === undefined) return [v.id, NONE, NONE, NONE];
  if (load.state === 'failed') return [v.id, `failed: ${load.error}`, NONE, NONE];
  const best = bestPool(load.pools);
  const others = load.pools.filter((p) => p !== best)
    .map((p) => `${poolText(p)}: ${p.throughputRequestsPerSecond === null ? 'none' : `${rateText(p.throughputRequestsPerSecond)}/s`}`);
  return [v.id, best === undefined ? throughputText(load.pools[0] as LoadPool, run.p99BoundMs) : throughputText(best, run.p99BoundMs),
    best === undefined ? NONE : poolText(best), others.join('; ') || NONE];
}

function stepsLine(v: CompletedVariant, p: LoadPool): string {
  const steps = p.steps.map((s) => `${rateText(s.rateRequestsPerSecond)}/s: ${ms(s.p50Ms)} / ${ms(s.p99Ms)} ms${s.withinBound ? '' : ' (over)'}`);
  return `${v.id}, ${poolText(p)} (rounds: ${roundsText(p)}): ${steps.join('; ')}`;
}

/** "1 worker × 2 threads served more for 4 of 6 variants; ...": which way to serve won, over the variants that served at all. */
function winnerLine(variants: readonly CompletedVariant[]): string | undefined {
  const wins = new Map<string, number>();
  let served = 0;
  for (const v of variants) {
    const load = v.deployment?.load;
    const best = load?.state === 'measured' ? bestPool(load.pools) : undefined;
    if (best === undefined || load?.state !== 'measured' || load.pools.length < 2) continue;
    const tied = load.pools.filter((p) => p.throughputRequestsPerSecond === best.throughputRequestsPerSecond).length > 1;
    const key = tied ? 'both pools alike' : poolText(best);
    wins.set(key, (wins.get(key) ?? 0) + 1);
    served++;
  }
  if (served === 0) return undefined;
  return `Which served more: ${[...wins].map(([k, n]) => `${k} for ${n} of ${served} variant(s)`).join('; ')}.`;
}

export function loadSection(variants: readonly CompletedVariant[], run: LoadRun): Section | undefined {
  const loaded = variants.filter((v) => v.deployment?.load !== undefined);
  if (loaded.length === 0) return undefined;
  const inputs = run.inputs === 'real-inputs' ? 'the real-input sample, one row per request, in turn' : 'the grid\'s first point';
  const text = `As MLPerf's server scenario, on the CPU: requests arrive open-loop (seeded Poisson arrivals at a fixed rate), each timed from`
    + ` its scheduled arrival to its answer, queueing included; the rate rises ×${run.rateFactor} every ${run.stepMs / 1000} s from a quarter`
    + ` of what one request at a time serves, until a step's p99 is over ${ms(run.p99BoundMs)} ms. Requests: ${inputs}. A Node server needs`
    + ' worker threads to serve in parallel (onnxruntime-node\'s run() holds a thread until it answers), each with its own session: one worker'
    + ' with a thread per physical core, against a worker per core with one thread each. The throughput is the highest rate within the bound'
    + ` in every one of ${run.rounds} rounds (each a fresh process per variant and pool, the order reversed between rounds).`;
  const header = ['variant', `throughput (p99 ≤ ${ms(run.p99BoundMs)} ms)`, 'served by', 'the other pool'];
  const steps = loaded.flatMap((v) => {
    const load = v.deployment?.load;
    return load?.state === 'measured' ? load.pools.map((p) => stepsLine(v, p)) : [];
  });
  const winner = winnerLine(loaded);
  return {
    title: 'Under load (cpu)',
    blocks: [
      { kind: 'text', text },
      { kind: 'table', table: { header, rows: loaded.map((v) => summaryRow(v, run)), numeric: [false, false, false, false] } },
      ...(winner === undefined ? [] : [{ kind: 'text' as const, text: winner }]),
      { kind: 'text', text: 'Each step of the reported (lowest) round, rate: p50 / p99:' },
      { kind: 'list', items: steps },
    ],
  };
}
