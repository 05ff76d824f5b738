import { benchEnvironment } from '../bench/env.js';
import { requireCuda, requireWasm } from '../bench/providers.js';
import { timingSettings } from '../bench/runtime-settings.js';
import { StepCache } from '../cache/cache.js';
import type { Report } from '../report/model/types.js';
import { writeReport } from '../report/write-report.js';
import { silentProgress } from '../util/progress.js';
import { COMPARE_DEFAULTS, type CompareOptions } from './compare-options.js';
import { preflight } from './preflight.js';
import { runCompare, type CompareSession } from './run-compare.js';
import { StepClock, type StepTiming } from './step-clock.js';
import { checkDeploymentRequest } from './deployment-request.js';
import { checkBrowserDevices } from './time-in-browser.js';
import { checkCompareRounds } from './time-variants.js';

export { COMPARE_DEFAULTS, type CompareOptions } from './compare-options.js';

export interface CompareResult {
  readonly report: Report;
  readonly reportDir: string;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /**
   * Requested variants that did not complete (models that never resolved included), and those a browser could not time;
   * the CLI exits 1 when any did.
   */
  readonly failures: number;
  readonly seconds: number;
  /** Wall time of each step, in the order they ran (what the progress line showed). */
  readonly steps: readonly StepTiming[];
}

/**
 * What every run of one command shares, made once: the devices checked (CUDA installed, a browser
 * there), the step cache opened, the timing settings and the machine measured.
 */
export async function openCompareSession(
  opts: Omit<CompareOptions, 'models' | 'task' | 'subset' | 'variants' | 'reportsDir' | 'name'>,
): Promise<CompareSession> {
  const devices = opts.devices ?? [opts.device];
  if (devices.includes('cuda')) await requireCuda();
  if (devices.includes('wasm')) requireWasm();
  checkDeploymentRequest(opts.deployment, devices, opts.browserDevices ?? []);
  await checkBrowserDevices(opts.browserDevices ?? []);
  const cache = await StepCache.open(opts.cacheDir, { reuse: opts.reuseCache ?? true, ...(opts.warn ? { warn: opts.warn } : {}) });
  const timing = timingSettings(opts, COMPARE_DEFAULTS);
  return { cache, timing, environment: await benchEnvironment(timing) };
}

/**
 * `albench compare`: every model x variant converted, quantized, evaluated and timed, each step
 * cached by the content hash of what it depends on (run-compare.ts), then one report in four
 * formats. Everything checkable is checked first (preflight.ts), so bad usage fails before any
 * work. A variant that fails stays in the report with its error; the others still finish.
 */
export async function compare(opts: CompareOptions): Promise<CompareResult> {
  const started = performance.now();
  const progress = new StepClock(opts.progress ?? silentProgress);
  checkCompareRounds(opts.rounds ?? COMPARE_DEFAULTS.rounds, opts.reuseTimings ?? false);
  const task = preflight(opts, COMPARE_DEFAULTS);
  const session = await openCompareSession(opts);
  const run = await runCompare(opts, task, session, progress);
  progress.step('writing reports');
  const reportDir = await writeReport(run.report, opts.reportsDir, opts.name);
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  return { ...run, reportDir, seconds, steps: progress.steps };
}
