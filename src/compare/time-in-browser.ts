import { unsupportedOp } from '../bench/wasm-support.js';
import type { TimingSettings } from '../bench/runtime-settings.js';
import { browserBench } from '../browser/browser-bench.js';
import { findChromium } from '../browser/launch.js';
import type { BrowserDevice } from '../browser/protocol.js';
import type { BrowserBenchReport, BrowserModelResult } from '../browser/schema.js';
import { BROWSER_DEVICE_PREFIX, type DeviceLatency, type DeviceName, type DeviceSetup, type FailedVariant } from '../report/model/types.js';
import type { Progress } from '../util/progress.js';
import { ONNXRUNTIME_WEB, resolveOptionalPeer } from '../util/optional-peer.js';
import { latencyPoint } from './time-variants.js';
import type { PreparedVariant, TimedVariant } from './variant-record.js';

/**
 * compare's browser devices (--device cpu,browser-wasm): every prepared variant timed inside headless
 * Chromium by onnxruntime-web (src/browser), after the Node devices' rounds and with their settings,
 * each variant in a fresh page per round. Never cached: a browser's figures are always this run's.
 */

interface BrowserPlan {
  readonly devices: readonly BrowserDevice[];
  readonly timing: TimingSettings;
  readonly batchSizes: readonly number[];
  readonly sequenceLengths: readonly number[];
}

interface BrowserTimings {
  /** For the report's env.devices: the browser and onnxruntime-web versions, and the threads the page ran. */
  readonly setups: readonly DeviceSetup[];
  /** Per variant id, one entry per browser device, in the plan's order. */
  readonly byVariant: ReadonlyMap<string, readonly DeviceLatency[]>;
}

const browserDeviceName = (d: BrowserDevice): DeviceName => `${BROWSER_DEVICE_PREFIX}${d}`;

/** Fails before any work when a browser device is asked for and onnxruntime-web, playwright-core or Chromium is missing. */
export async function checkBrowserDevices(devices: readonly BrowserDevice[]): Promise<void> {
  if (devices.length === 0) return;
  const what = `--device ${devices.map(browserDeviceName).join(',')}`;
  resolveOptionalPeer(ONNXRUNTIME_WEB, what);
  await findChromium(what);
}

/** A model the page could not load for want of an operator is a finding, as on Node's wasm; any other failure is one. */
function deviceLatency(m: BrowserModelResult, device: DeviceName, report: BrowserBenchReport): DeviceLatency {
  if (m.state === 'unavailable') return { device, state: 'unavailable', reason: m.reason };
  if (m.state === 'failed') {
    const op = unsupportedOp(m.error);
    return op === null ? { device, state: 'failed', error: m.error } : { device, state: 'unsupported', op, message: m.error };
  }
  const failed = m.points.find((p) => p.state === 'failed');
  if (failed?.state === 'failed') return { device, state: 'failed', error: `b${failed.batchSize} s${failed.sequenceLength}: ${failed.error}` };
  const at = { measuredAt: report.startedAt, loadAverage1m: report.loadAverageAtStart[0] };
  return { device, state: 'timed', latency: m.points.flatMap((p) => (p.state === 'completed' ? [latencyPoint(p, at)] : [])), memory: null };
}

function setupOf(report: BrowserBenchReport, device: DeviceName): DeviceSetup {
  const measured = report.models.find((m) => m.state === 'measured');
  const adapter = report.settings.device === 'webgpu' && report.browser.webgpuAdapter !== null ? `, WebGPU adapter ${report.browser.webgpuAdapter}` : '';
  return {
    device, runtime: `onnxruntime-web ${report.browser.onnxruntimeWebVersion} in Chromium ${report.browser.version}${adapter}`,
    threads: measured?.state === 'measured' ? measured.wasmThreads : report.settings.threads,
  };
}

export async function timeInBrowser(records: ReadonlyArray<FailedVariant | PreparedVariant>, plan: BrowserPlan, progress: Progress): Promise<BrowserTimings> {
  const prepared = records.filter((r): r is PreparedVariant => r.state === 'prepared');
  const byVariant = new Map<string, DeviceLatency[]>(prepared.map((v) => [v.id, []]));
  const setups: DeviceSetup[] = [];
  if (prepared.length === 0) return { setups, byVariant };
  const { timing } = plan;
  for (const device of plan.devices) {
    const name = browserDeviceName(device);
    progress.step(`timing ${prepared.length} variant(s) in headless Chromium (${name}) in ${timing.rounds} round(s)`);
    const report = await browserBench({
      models: prepared.map((v) => ({ path: v.files.modelFile, label: v.id })), device, batchSizes: plan.batchSizes, sequenceLengths: plan.sequenceLengths,
      threads: timing.runtime.intraOpThreads, warmupIterations: timing.warmupIterations, stop: timing.stop, rounds: timing.rounds, progress,
    });
    setups.push(setupOf(report, name));
    report.models.forEach((m, i) => byVariant.get(prepared[i]?.id ?? '')?.push(deviceLatency(m, name, report)));
  }
  return { setups, byVariant };
}

/** Each timed variant gains its browser devices' entries after its Node devices'. */
export function withBrowserTimings(records: ReadonlyArray<FailedVariant | TimedVariant>, timings: BrowserTimings): Array<FailedVariant | TimedVariant> {
  return records.map((v) => (v.state === 'failed' ? v : { ...v, latencyByDevice: [...v.latencyByDevice, ...(timings.byVariant.get(v.id) ?? [])] }));
}
