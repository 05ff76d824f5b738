import { parseArgs } from 'node:util';
import { CASE_TIME_LIMIT_MS, fuzzTarget } from '../test/fuzz/run-fuzz.js';
import { FUZZ_TARGETS } from '../test/fuzz/targets.js';

const USAGE = `usage: npm run fuzz -- [ITERATIONS [SEED]] [--target NAME]
  ITERATIONS  mutated inputs per target (default 20000); SEED: first case seed (default 1000)
  --target    run only the targets whose name contains NAME (${FUZZ_TARGETS.map((t) => t.name).join(', ')})`;

function usage(problem: string): never {
  process.stderr.write(`error: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

function count(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) usage(`${what} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

let parsed: ReturnType<typeof parseArgs<{ options: { target: { type: 'string' } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: { target: { type: 'string' } }, allowPositionals: true, strict: true });
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
if (parsed.positionals.length > 2) usage(`unexpected argument ${JSON.stringify(parsed.positionals[2])}`);
const iterations = count(parsed.positionals[0], 20_000, 'ITERATIONS');
const seed = count(parsed.positionals[1], 1000, 'SEED');
const filter = parsed.values.target;
const targets = FUZZ_TARGETS.filter((t) => filter === undefined || t.name.includes(filter));
if (targets.length === 0) usage(`no fuzz target matches ${JSON.stringify(filter)}`);

/** Many mutated inputs per parser; exits 1 on any crash or hang, 2 on arguments it does not understand. */
let findings = 0;
console.log(`${'target'.padEnd(26)} inputs  accepted  refused  crashes  hangs  (seed ${seed}, case limit ${CASE_TIME_LIMIT_MS} ms)`);
for (const target of targets) {
  const started = performance.now();
  const r = await fuzzTarget(target, iterations, seed);
  findings += r.crashes.length + r.hangs.length;
  const cells = [r.runs, r.accepted, r.refused, r.crashes.length, r.hangs.length].map((n, i) => String(n).padStart([6, 9, 8, 8, 6][i] ?? 6));
  console.log(`${r.target.padEnd(26)} ${cells.join(' ')}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const c of r.crashes.slice(0, 5)) console.log(`  crash (seed ${c.seed}): ${c.error}`);
  for (const h of r.hangs.slice(0, 5)) console.log(`  hang (seed ${h.seed}): ${h.error}`);
}
process.exitCode = findings === 0 ? 0 : 1;
