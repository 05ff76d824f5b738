import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { STALE_AFTER_MS } from '../../src/util/temporaries.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { childrenOf, isRunning, waitFor } from '../helpers/processes.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const BENCH_CHILD = path.join('dist', 'src', 'bench', 'child.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run { readonly process: ChildProcess; readonly exited: Promise<number | null>; stderr(): string }

/**
 * One small compare under `root`: its reports, its cache, and (TMPDIR) the folder bench works in,
 * so every temporary it can leave is somewhere the test looks. A long --time keeps it timing.
 */
function startCompare(root: string, timeMs: number): Run {
  const args = [
    CLI, 'compare', 'bert', '--variants', 'fp32', '--limit', '8', '--warmup', '1', '--time', String(timeMs), '--quiet',
    '--name', 'run', '--reports', path.join(root, 'reports'), '--cache', path.join(root, 'cache'),
  ];
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: path.join(root, 'tmp') } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, exited, stderr: () => stderr };
}

/**
 * Waits until the compare runs a benchmark child that keeps running (the one that times, not the
 * short one that reads back the optimised graph) and returns that child's pid.
 */
async function timingChildOf(run: Run): Promise<number> {
  const pid = run.process.pid as number;
  for (;;) {
    await waitFor(() => childrenOf(pid, BENCH_CHILD).length > 0, `a benchmark child (stderr: ${run.stderr()})`, 120_000);
    const child = childrenOf(pid, BENCH_CHILD)[0] as number;
    const seen = Date.now();
    await waitFor(() => !isRunning(child) || Date.now() - seen > 3000, 'the benchmark child to end or keep running', 10_000);
    if (isRunning(child)) return child;
  }
}

const temporaries = (dir: string): string[] => !fs.existsSync(dir) ? [] : fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.name.includes('.tmp-') ? [path.join(dir, e.name)] : e.isDirectory() ? temporaries(path.join(dir, e.name)) : []));

describe('SIGTERM while compare times', () => {
  it('exits 143, takes its benchmark child with it and leaves no temporaries', async () => {
    const root = tempDir();
    const run = startCompare(root, 60_000);
    const child = await timingChildOf(run);
    run.process.kill('SIGTERM');
    assert.equal(await run.exited, 143, run.stderr());
    await waitFor(() => !isRunning(child), 'the benchmark child to end', 5000);
    assert.deepEqual(temporaries(root), []);
    assert.equal(fs.existsSync(path.join(root, 'reports', 'run')), false);
  });
});

describe('kill -9 during compare', () => {
  it('leaves no benchmark child running, and the next runs sweep the temporaries it left', async () => {
    const root = tempDir();
    const killedConverting = startCompare(root, 60_000);
    const convertDir = path.join(root, 'cache', 'convert');
    await waitFor(() => temporaries(convertDir).length > 0, 'the conversion to start writing', 60_000);
    killedConverting.process.kill('SIGKILL');
    await killedConverting.exited;
    const leftByConvert = temporaries(convertDir);
    assert.equal(leftByConvert.length, 1, 'kill -9 leaves the conversion\'s temporary folder');

    // Only a dead process's temporaries older than STALE_AFTER_MS are swept.
    await sleep(STALE_AFTER_MS + 500);
    const killedTiming = startCompare(root, 60_000);
    const child = await timingChildOf(killedTiming);
    assert.equal(leftByConvert.some((t) => fs.existsSync(t)), false, 'the next conversion into the cache swept the stale temporary');
    killedTiming.process.kill('SIGKILL');
    await killedTiming.exited;
    await waitFor(() => !isRunning(child), 'the orphaned benchmark child to notice and end', 5000);
    assert.notDeepEqual(temporaries(path.join(root, 'tmp')), [], 'kill -9 leaves bench\'s working folder');

    await sleep(STALE_AFTER_MS + 500);
    const finished = startCompare(root, 50);
    assert.equal(await finished.exited, 0, finished.stderr());
    assert.deepEqual(temporaries(root), []);
    assert.ok(fs.existsSync(path.join(root, 'reports', 'run', 'report.json')));
  });
});
