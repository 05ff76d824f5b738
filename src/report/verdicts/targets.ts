import { SESSION_BEFORE_RECORDED, type CompletedVariant, type DeviceName, type LatencyPoint, type Report, type SessionSettings } from '../model/types.js';

/** Where a deployed variant runs: onnxruntime-node on the CPU, transformers.js in a browser, onnxruntime-node on CUDA. */
export type DeployTarget = 'node' | 'browser' | 'cuda';
export const DEPLOY_TARGETS: readonly DeployTarget[] = ['node', 'browser', 'cuda'];

interface TargetSpec {
  /** The report's devices that stand for the target, the preferred first (WebGPU only when it was timed). */
  readonly devices: readonly DeviceName[];
  /** What to add to `albench compare` when the report timed none of them. */
  readonly flags: string;
  readonly runtime: 'onnxruntime-node' | 'transformers.js';
}

export const TARGETS: Record<DeployTarget, TargetSpec> = {
  node: { devices: ['cpu'], flags: '--device cpu', runtime: 'onnxruntime-node' },
  browser: { devices: ['browser-webgpu', 'browser-wasm'], flags: '--device cpu,browser-wasm (or browser-webgpu)', runtime: 'transformers.js' },
  cuda: { devices: ['cuda'], flags: '--device cuda', runtime: 'onnxruntime-node' },
};

/** The variant's latency grid on `device`, or undefined when the report did not time it there. */
export function latencyOn(report: Report, v: CompletedVariant, device: DeviceName): readonly LatencyPoint[] | undefined {
  const byDevice = v.latencyByDevice?.find((d) => d.device === device);
  if (byDevice !== undefined) return byDevice.state === 'timed' && byDevice.latency.length > 0 ? byDevice.latency : undefined;
  return report.env.device === device && v.latency.length > 0 ? v.latency : undefined;
}

const timedDevices = (report: Report): DeviceName[] => report.env.devices?.map((d) => d.device) ?? [report.env.device];

/** The device the target is judged on: the first of its devices that timed a completed variant; undefined when none did. */
export function targetDevice(report: Report, target: DeployTarget): DeviceName | undefined {
  return TARGETS[target].devices.find((d) => report.variants.some((v) => v.state === 'completed' && latencyOn(report, v, d) !== undefined));
}

/** Why a report cannot stand for the target, naming the compare flags that would make it. */
export function untimedText(report: Report, target: DeployTarget): string {
  return `has no ${target} timings (it timed ${timedDevices(report).join(', ')}); run albench compare again with ${TARGETS[target].flags}`;
}

/** The runtime the report measured on `device` and the threads it ran, as its environment records them. */
export function setupOn(report: Report, device: DeviceName): { runtime: string; threads: number } {
  const setup = report.env.devices?.find((d) => d.device === device);
  return setup === undefined ? { runtime: report.env.onnxruntime, threads: report.env.threads } : { runtime: setup.runtime, threads: setup.threads };
}

/** The session settings the report timed `device` with: its threads, and env.session (what albench always used, where a report predates it). */
export function sessionOn(report: Report, device: DeviceName): SessionSettings {
  return { ...(report.env.session ?? SESSION_BEFORE_RECORDED), intraOpThreads: Math.max(1, setupOn(report, device).threads) };
}
