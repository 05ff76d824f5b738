import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Report } from '../src/report/model/types.js';
import { beyondNoise } from '../src/report/verdicts/noise.js';
import { median } from '../src/util/stats.js';

/**
 * bench:verdicts — whether compare's default timing is as sharp as a long one. Runs the bundled
 * `albench compare bert albert` --runs times with the default (fast) timing and once as a long
 * reference (10 rounds of 3 s per child), all on one warmed cache so only timing differs; prints,
 * for each of the 15 variant pairs, the reference's verdict ("differs" or "ties", compare's noise
 * rule) and how many fast runs agree with it, how many pairs the reference calls "differs", and the
 * median over variants of spread / p50. With --parent <cli.js> it also runs that build's compare as
 * many times (alternating with the fast runs, so drift of the machine hits both alike) and compares
 * the relative spread at the same number of rounds.
 * Exits 1 when a pair agrees fewer than 9 times in 10 (scaled to --runs), when the reference calls
 * fewer than 5 pairs "differs" (the check would have no teeth), or when the median relative spread
 * is wider than the parent's.
 * Usage: npm run bench:verdicts [-- --runs 10] [--parent ../parent/dist/cli.js]
 */
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    parent: { type: 'string' },
    'reference-rounds': { type: 'string', default: '10' },
    'reference-time': { type: 'string', default: '3000' },
  },
});
const RUNS = Number(flags.runs);
const NEW_CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-verdicts-'));

interface Run { readonly cli: string; readonly cache: string; readonly name: string; readonly extra: readonly string[] }

function compareOnce(r: Run): Report {
  const reports = path.join(work, 'reports');
  const args = [r.cli, 'compare', 'bert', 'albert', '--quiet', '--cache', r.cache, '--reports', reports, '--name', r.name, ...r.extra];
  const started = performance.now();
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${r.name} failed (exit ${out.status}): ${out.stderr}`);
  console.log(`  ${r.name.padEnd(12)} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return JSON.parse(fs.readFileSync(path.join(reports, r.name, 'report.json'), 'utf8')) as Report;
}

type Completed = Extract<Report['variants'][number], { state: 'completed' }>;

function completedVariants(r: Report): Completed[] {
  const done = r.variants.filter((v): v is Completed => v.state === 'completed');
  if (done.length !== r.variants.length) throw new Error('a variant failed; the verdicts need all six');
  return done;
}

/** Every pair's verdict at the first grid point, by compare's noise rule, keyed "a vs b". */
function verdicts(r: Report): Map<string, 'differs' | 'ties'> {
  const vs = completedVariants(r);
  const out = new Map<string, 'differs' | 'ties'>();
  vs.forEach((a, i) => vs.slice(i + 1).forEach((b) => {
    const [pa, pb] = [a.latency[0], b.latency[0]];
    if (pa === undefined || pb === undefined) throw new Error(`${a.id} or ${b.id} has no latency`);
    out.set(`${a.id} vs ${b.id}`, beyondNoise(pa, pb) ? 'differs' : 'ties');
  }));
  return out;
}

/** Per variant, spread / p50 at the first grid point. */
function relativeSpreads(r: Report): Map<string, number> {
  return new Map(completedVariants(r).map((v) => [v.id, (v.latency[0]?.spreadMs ?? NaN) / (v.latency[0]?.p50Ms ?? NaN)]));
}

/** The median over variants of each variant's median (over runs) relative spread. */
function medianRelativeSpread(reports: readonly Report[]): number {
  const byVariant = new Map<string, number[]>();
  for (const r of reports) for (const [id, s] of relativeSpreads(r)) byVariant.set(id, [...(byVariant.get(id) ?? []), s]);
  return median([...byVariant.values()].map((xs) => median(xs)));
}

function runAll(): { fast: Report[]; parent: Report[]; reference: Report } {
  const newCache = path.join(work, 'cache-new');
  const parentCache = path.join(work, 'cache-parent');
  console.log(`warming each cache once (conversion, variants, evaluation; not counted)`);
  compareOnce({ cli: NEW_CLI, cache: newCache, name: 'warm-new', extra: [] });
  if (flags.parent !== undefined) compareOnce({ cli: flags.parent, cache: parentCache, name: 'warm-parent', extra: [] });
  const fast: Report[] = [];
  const parent: Report[] = [];
  console.log(`${RUNS} run(s) with the default timing${flags.parent === undefined ? '' : ', alternating with the parent build'}`);
  for (let i = 0; i < RUNS; i++) {
    const parentFirst = i % 2 === 1;
    if (flags.parent !== undefined && parentFirst) parent.push(compareOnce({ cli: flags.parent, cache: parentCache, name: `parent-${i + 1}`, extra: [] }));
    fast.push(compareOnce({ cli: NEW_CLI, cache: newCache, name: `fast-${i + 1}`, extra: [] }));
    if (flags.parent !== undefined && !parentFirst) parent.push(compareOnce({ cli: flags.parent, cache: parentCache, name: `parent-${i + 1}`, extra: [] }));
  }
  console.log(`the reference: ${flags['reference-rounds']} rounds of ${flags['reference-time']} ms per child`);
  const reference = compareOnce({
    cli: NEW_CLI, cache: newCache, name: 'reference', extra: ['--rounds', String(flags['reference-rounds']), '--time', String(flags['reference-time'])],
  });
  return { fast, parent, reference };
}

function report({ fast, parent, reference }: ReturnType<typeof runAll>): number {
  const needed = Math.ceil(RUNS * 0.9);
  const ref = verdicts(reference);
  const runs = fast.map(verdicts);
  const parentRuns = parent.map(verdicts);
  const problems: string[] = [];
  // The parent's agreement is printed, not judged: it shows whether a miss is the new timing's or the noise rule's.
  console.log(`\n${'pair'.padEnd(48)} reference  fast runs agreeing${parent.length > 0 ? '  parent runs agreeing' : ''}`);
  for (const [pair, verdict] of ref) {
    const agreeing = runs.filter((r) => r.get(pair) === verdict).length;
    const parentAgreeing = parent.length > 0 ? `  ${parentRuns.filter((r) => r.get(pair) === verdict).length}/${parent.length}` : '';
    console.log(`${pair.padEnd(48)} ${verdict.padEnd(10)} ${`${agreeing}/${RUNS}`.padEnd(18)}${parentAgreeing}`);
    if (agreeing < needed) problems.push(`${pair}: ${agreeing}/${RUNS} fast runs agree with the reference's "${verdict}" (at least ${needed} needed)`);
  }
  const differs = [...ref.values()].filter((v) => v === 'differs').length;
  console.log(`\nthe reference calls ${differs} of ${ref.size} pairs "differs"`);
  if (differs < 5) problems.push(`the reference calls only ${differs} pairs "differs": at least 5 are needed for the check to have teeth`);
  const fastSpread = medianRelativeSpread(fast);
  console.log(`median over variants of spread / p50: ${(fastSpread * 100).toFixed(1)}% (this build, ${fast[0]?.variants.length ?? 0} variants, ${RUNS} runs)`);
  if (parent.length > 0) {
    const parentSpread = medianRelativeSpread(parent);
    console.log(`median over variants of spread / p50: ${(parentSpread * 100).toFixed(1)}% (parent build ${flags.parent}, ${parent.length} runs)`);
    if (fastSpread > parentSpread) problems.push(`the relative spread ${(fastSpread * 100).toFixed(1)}% is wider than the parent's ${(parentSpread * 100).toFixed(1)}%`);
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  if (problems.length === 0) console.log('PASS');
  return problems.length === 0 ? 0 : 1;
}

try {
  console.log(`bench:verdicts, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exitCode = report(runAll());
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
