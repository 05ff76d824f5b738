import fs from 'node:fs';

/** State and parent of a process from /proc/<pid>/stat (Linux); null once it is gone. */
function statOf(pid: number): { state: string; ppid: number } | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may hold spaces or parentheses itself: fields follow the last ')'.
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: state ?? '?', ppid: Number(ppid) };
}

/** A process that exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  const s = statOf(pid);
  return s !== null && s.state !== 'Z';
}

/** Running children of `ppid` whose command line mentions `needle`. */
export function childrenOf(ppid: number, needle: string): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    if (statOf(pid)?.ppid !== ppid || !isRunning(pid)) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  });
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
