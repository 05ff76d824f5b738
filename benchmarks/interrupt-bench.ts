import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../src/util/stats.js';
import { interruptConvert } from '../test/helpers/interrupt-convert.js';

/**
 * bench:interrupt — how long `albench convert --config bert-large-uncased --random-weights` takes to
 * exit after SIGTERM, sent 300 ms after it prints `writing onnx/model.onnx` (what
 * test/convert/interrupt.test.ts bounds at 3 s). Prints each run's seconds, their median and range,
 * and the load average; says when a run exited otherwise than 143 or left files. Asserts nothing.
 * Usage: npm run bench:interrupt [-- --runs 3] [--cli name=<path>/dist/cli.js ...]  (several --cli alternate)
 */
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '3' }, cli: { type: 'string', multiple: true } } });
const clis = (flags.cli ?? [`new=${fileURLToPath(new URL('../cli.js', import.meta.url))}`]).map((c) => {
  const at = c.indexOf('=');
  return { name: c.slice(0, at), file: path.resolve(c.slice(at + 1)) };
});

async function secondsToExit(cli: string): Promise<{ seconds: number; problem: string | null }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-interrupt-'));
  try {
    const { code, seconds } = await interruptConvert(cli, { config: 'bert-large-uncased', root, marker: 'writing onnx/model.onnx', waitMs: 300, signal: 'SIGTERM' });
    const left = fs.readdirSync(root);
    return { seconds, problem: code !== 143 ? `exit ${code}` : left.length > 0 ? `left ${left.join(', ')}` : null };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

console.log(`bench:interrupt, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const seconds = new Map(clis.map((c) => [c.name, [] as number[]]));
for (let run = 0; run < Number(flags.runs); run++) {
  for (const c of run % 2 === 0 ? clis : [...clis].reverse()) {
    const r = await secondsToExit(c.file);
    seconds.get(c.name)?.push(r.seconds);
    console.log(`  ${c.name.padEnd(8)} run ${run + 1}: ${r.seconds.toFixed(2)} s${r.problem === null ? '' : ` (${r.problem})`}`);
  }
}
for (const [name, s] of seconds) {
  console.log(`${name}: median ${median(s).toFixed(2)} s from SIGTERM to exit (${Math.min(...s).toFixed(2)}-${Math.max(...s).toFixed(2)} s, ${s.length} runs), load average ${os.loadavg()[0]?.toFixed(2)}`);
}
