import type { Progress } from '../util/progress.js';

/** One step of a compare run and its wall time. */
export interface StepTiming {
  readonly step: string;
  readonly seconds: number;
}

/**
 * Passes progress on and times each step: a step lasts until the next one starts or the run is
 * done. compare returns these so a benchmark can print the cost of each step at real sizes.
 */
export class StepClock implements Progress {
  readonly steps: StepTiming[] = [];
  private current: { readonly step: string; readonly started: number } | undefined;

  constructor(private readonly inner: Progress) {}

  step(message: string): void {
    this.close();
    this.current = { step: message, started: performance.now() };
    this.inner.step(message);
  }

  done(): void {
    this.close();
    this.inner.done();
  }

  private close(): void {
    if (this.current !== undefined) this.steps.push({ step: this.current.step, seconds: (performance.now() - this.current.started) / 1000 });
    this.current = undefined;
  }
}
