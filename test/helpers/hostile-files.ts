import { execFileSync } from 'node:child_process';

/** A FIFO made at test time; null where mkfifo is not available (the test then skips). */
export function makeFifo(file: string): string | null {
  try {
    execFileSync('mkfifo', [file]);
    return file;
  } catch {
    return null;
  }
}
