/** Progress lines on a terminal only; pipes and CI logs stay clean. */
export interface Progress {
  step(message: string): void;
  done(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { step: () => undefined, done: () => undefined };
  const started = Date.now();
  return {
    step(message) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`\r\x1b[2K[${seconds}s] ${message}`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}

export const silentProgress: Progress = { step: () => undefined, done: () => undefined };
