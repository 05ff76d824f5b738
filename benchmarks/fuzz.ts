import { fuzzTarget } from '../test/fuzz/run-fuzz.js';
import { FUZZ_TARGETS } from '../test/fuzz/targets.js';

/** npm run fuzz [-- ITERATIONS [SEED]]: many mutated inputs per parser; exits 1 on any crash. */
const iterations = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 1000);
let crashes = 0;
for (const target of FUZZ_TARGETS) {
  const started = performance.now();
  const r = fuzzTarget(target, iterations, seed);
  crashes += r.crashes.length;
  console.log(`${r.target.padEnd(26)} ${r.runs} inputs: ${r.accepted} accepted, ${r.refused} refused with a typed error, ${r.crashes.length} crashes (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const c of r.crashes.slice(0, 5)) console.log(`  crash (seed ${c.seed}): ${c.error}`);
}
process.exitCode = crashes === 0 ? 0 : 1;
