import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildResult } from './cache-child.js';
import { REPO_ROOT, tempDir } from './paths.js';
import { waitFor } from './processes.js';

/**
 * What the race tests share: cache-child.ts processes started without blocking this one (which may
 * serve S3 to them), held at the cache's pause points (src/util/test-pause.ts), and a reader that
 * keeps reading an entry while another process publishes.
 */
const CHILD = path.join(REPO_ROOT, 'dist', 'test', 'helpers', 'cache-child.js');

export interface Child {
  readonly pid: number;
  /** The child's result line, once it exits 0; rejects with its stderr otherwise. */
  readonly result: Promise<ChildResult>;
  kill(signal: NodeJS.Signals): void;
}

/** Children still running; a test that fails leaves them paused, so each test ends them (killChildren). */
const running = new Set<ReturnType<typeof spawn>>();

export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function startChild(args: readonly string[], env: Readonly<Record<string, string>>): Child {
  const child = spawn(process.execPath, [CHILD, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (status === 0) resolve(JSON.parse(stdout) as ChildResult);
      else reject(new Error(`cache child ${child.pid} ended with ${status ?? signal}: ${stderr}`));
    });
  });
  // A test that kills its child expects the rejection; an unhandled one would end the test run.
  result.catch(() => undefined);
  return { pid: child.pid ?? 0, result, kill: (signal) => child.kill(signal) };
}

/** A folder the children's pause points report to and wait on. */
export class Pauses {
  readonly dir = tempDir('albench-pause-');

  env(...points: string[]): Record<string, string> {
    return { ALBENCH_TEST_PAUSE: `${points.join(',')}@${this.dir}` };
  }

  reached(child: Child, point: string, timeoutMs = 60_000): Promise<void> {
    return waitFor(() => fs.existsSync(path.join(this.dir, `${child.pid}.${point}.reached`)), `${child.pid} to reach ${point}`, timeoutMs);
  }

  go(child: Child, point: string): void {
    fs.writeFileSync(path.join(this.dir, `${child.pid}.${point}.go`), '');
  }
}

/**
 * Reads `<dir>/data.bin` and `<dir>/result.json` over and over until stopped, as a run holding the
 * entry would: every read must succeed and find the same bytes as the first.
 */
export function keepReading(dir: string): { stop(): Promise<{ reads: number; problems: string[] }> } {
  let running = true;
  const problems: string[] = [];
  let reads = 0;
  const read = () => ({
    ino: fs.statSync(dir).ino, data: fs.readFileSync(path.join(dir, 'data.bin')), result: fs.readFileSync(path.join(dir, 'result.json'), 'utf8'),
  });
  const first = read();
  const loop = (async () => {
    while (running) {
      try {
        const now = read();
        // Another folder put in its place, even with the same bytes, is an entry moved under its reader.
        if (now.ino !== first.ino) problems.push(`read ${reads}: the entry folder was replaced`);
        if (!now.data.equals(first.data) || now.result !== first.result) problems.push(`read ${reads}: the entry changed (result ${now.result})`);
      } catch (e) {
        problems.push(`read ${reads}: ${(e as Error).message}`);
      }
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { reads, problems: problems.slice(0, 5) };
    },
  };
}

/** The lock files of `step` under a cache folder or mirror (layout.ts); none where the code takes no locks. */
export function lockFiles(root: string, step: string): string[] {
  const dir = path.join(root, '.locks', step);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.lock')).map((f) => path.join(dir, f)) : [];
}

/** The entry folders of `step` under a cache folder or mirror. */
export function entriesOf(root: string, step: string): string[] {
  const dir = path.join(root, step);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^[0-9a-f]{64}$/.test(f)).map((f) => path.join(dir, f)) : [];
}
