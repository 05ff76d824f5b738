import { safeLine } from './safe-text.js';

/** Where a long command is: one step at a time, on stderr so stdout stays the result. */
export interface Progress {
  step(message: string): void;
  done(): void;
}

/**
 * Off a terminal, a counter that ticks (batches, bytes, rows) prints at most this often; the
 * last value before the next kind of step is always printed, so a CI log shows where time went.
 */
const REPEAT_INTERVAL_MS = 2000;

const elapsed = (started: number, at: number) => `[${((at - started) / 1000).toFixed(1)}s]`;

/** Two messages are the same kind of step when they differ only in numbers of their own (`batch 3/28`, `batch 4/28`; `bert-l2` keeps its 2). */
const kindOf = (message: string) => message.replace(/(?<![A-Za-z])\d+(?:[.,]\d+)*/g, '#');

/** On a terminal: one line rewritten in place. */
function inPlaceProgress(stream: NodeJS.WritableStream): Progress {
  const started = Date.now();
  return {
    step(message) {
      stream.write(`\r\x1b[2K${elapsed(started, Date.now())} ${safeLine(message)}`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}

/** Off a terminal (a pipe, a CI log): plain lines, no carriage returns or escape codes. */
export function lineProgress(stream: NodeJS.WritableStream): Progress {
  const started = Date.now();
  let lastKind: string | undefined;
  let lastPrinted = 0;
  let pending: { message: string; at: number } | undefined;
  const print = (message: string, at: number) => {
    stream.write(`${elapsed(started, at)} ${safeLine(message)}\n`);
    lastKind = kindOf(message);
    lastPrinted = at;
    pending = undefined;
  };
  const flush = () => {
    if (pending !== undefined) print(pending.message, pending.at);
  };
  return {
    step(message) {
      const at = Date.now();
      if (kindOf(message) !== lastKind) {
        flush();
        print(message, at);
      } else if (at - lastPrinted >= REPEAT_INTERVAL_MS) print(message, at);
      else pending = { message, at };
    },
    done: flush,
  };
}

/** Progress on stderr: in place on a terminal, a line per step elsewhere. */
export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? inPlaceProgress(stream) : lineProgress(stream);
}

/** The steps of a part of the work, each named after what it works on (`bert/int8-dynamic: scoring 128/872`). */
export function prefixedProgress(progress: Progress, prefix: string): Progress {
  return { step: (message) => progress.step(`${prefix}: ${message}`), done: () => undefined };
}

export const silentProgress: Progress = { step: () => undefined, done: () => undefined };
