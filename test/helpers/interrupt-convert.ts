import { spawn } from 'node:child_process';
import path from 'node:path';

export interface Interrupted { readonly code: number | null; readonly stderr: string; readonly seconds: number }

/**
 * Runs `cli convert --config <config> --random-weights -o <root>/model`, sends `signal` `waitMs` after stderr first
 * shows `marker`, and says how the process exited and how many seconds after the signal. The convert interrupt
 * tests and bench:interrupt share it, so the figure the benchmark prints is the one the tests bound.
 */
export async function interruptConvert(cli: string, o: {
  readonly config: string; readonly root: string; readonly marker: string; readonly waitMs: number; readonly signal: NodeJS.Signals;
}): Promise<Interrupted> {
  const child = spawn(process.execPath, [cli, 'convert', '--config', o.config, '--random-weights', '-o', path.join(o.root, 'model')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const reached = new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes(o.marker)) resolve();
  }));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await reached;
  await new Promise((r) => setTimeout(r, o.waitMs));
  const sent = performance.now();
  child.kill(o.signal);
  const code = await exited;
  return { code, stderr, seconds: (performance.now() - sent) / 1000 };
}
