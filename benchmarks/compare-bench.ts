import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * bench:compare — wall time of the default `albench compare bert albert`, the whole command as a
 * user runs it (Node start-up included): once with an empty cache (cold) and twice more with
 * nothing changed (cached). Prints figures; asserts nothing.
 */
const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-bench-compare-'));
const run = (label: string) => {
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, 'compare', 'bert', 'albert', '--quiet', '--cache', path.join(work, 'cache'), '--reports', path.join(work, 'reports')], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${label} run failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  console.log(`${label.padEnd(8)} ${seconds.toFixed(2)} s wall   (${last})`);
};
try {
  console.log(`albench compare bert albert (default variants, full SST-2 dev), ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  run('cold');
  run('cached');
  run('cached');
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
