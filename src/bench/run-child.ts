import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildFailure, ChildJob, ChildReply } from './child-protocol.js';
import { PINNED_ALLOCATOR_ENV } from './memory.js';

const CHILD_FILE = fileURLToPath(new URL('./child.js', import.meta.url));
/** Enough of a dying child's stderr to say why (onnxruntime's last error line, a V8 OOM banner). */
const STDERR_TAIL_CHARS = 4000;

/** Children not yet ended; a parent stopped by a signal takes them with it. */
const running = new Set<ChildProcess>();

/**
 * Kills every benchmark child still running: the signal handlers call it before removing the
 * temporaries a child may be writing into. (A parent killed outright cannot; the child then sees
 * its IPC channel close and exits, child.ts.)
 */
export function stopChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/**
 * Runs one job in a fresh Node process and resolves with its reply. A child that dies without
 * replying (killed for memory, a native crash) becomes a failed reply that says how it ended.
 */
export function runChild<J extends ChildJob>(job: J): Promise<ChildReply<J['job']>> {
  return forkJob<ChildReply<J['job']>>(CHILD_FILE, { message: job });
}

/**
 * Runs `file` (a child entry that replies once over IPC, as child.ts does) in a fresh Node process with
 * `args`, sends it `message` when given, and resolves with its reply or a failure saying how it ended.
 * The deployment measurements (src/bench/deployment) fork their own entries through it, so a stopped
 * parent takes their children with it too.
 */
export function forkJob<R>(file: string, job: { readonly message?: unknown; readonly args?: readonly string[] }): Promise<R | ChildFailure> {
  // execArgv: [] keeps the parent's flags (--test, inspectors) out of the measured process.
  const child = fork(file, [...(job.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json', env: { ...process.env, ...PINNED_ALLOCATOR_ENV },
  });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  return new Promise((resolve) => {
    let reply: R | null = null;
    let spawnError: Error | null = null;
    child.on('message', (m) => {
      // The child answers the job it was sent, so the reply has that job's shape.
      reply = m as R;
    });
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (reply !== null) return resolve(reply);
      const how = spawnError !== null ? `could not run (${spawnError.message})`
        : signal !== null ? `was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`
          : `exited with code ${code ?? '?'}`;
      const tail = lastLines(stderr);
      resolve({ ok: false, stage: 'run', message: `the benchmark process ${how}${tail ? `: ${tail}` : ''}` });
    });
    if (job.message !== undefined) child.send(job.message as object);
  });
}
