/**
 * Long synchronous work written as a generator that yields where it may pause (between tensors,
 * between layers). Node runs signal handlers on the event loop, so while a loop holds the thread a
 * Ctrl-C or SIGTERM waits until it ends, seconds on a base-size model. runSteps drains such work in
 * one go for synchronous callers; runStepsYielding lets the event loop run at every step, so an
 * interrupt is handled within one step.
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/** Lets pending I/O and signal handlers run; setImmediate rather than a timer, so a step costs microseconds. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runStepsYielding<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    await yieldToEventLoop();
  }
}
