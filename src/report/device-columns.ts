import { samePoint } from './figures.js';
import { gridLabel, ms } from './format.js';
import { isBrowserDevice, type CompletedVariant, type DeviceLatency, type DeviceName, type Env, type LatencyPoint, type TransformersJsCheck } from './types.js';

/**
 * The columns a report gains when several devices were timed (latency on each device after the
 * first) and when transformers.js was checked; model-table.ts places them, the renderers lay them out.
 */
const NONE = '—';

/** The devices every variant was timed on, in order, from the first variant that carries them; one device: []. */
export function devicesOf(variants: readonly CompletedVariant[]): DeviceName[] {
  return variants.find((v) => v.latencyByDevice !== undefined)?.latencyByDevice?.map((d) => d.device) ?? [];
}

export function deviceLatencyText(d: DeviceLatency | undefined, p: LatencyPoint): string {
  if (d === undefined) return NONE;
  if (d.state === 'unsupported') return `unsupported on ${d.device}: ${d.op}`;
  if (d.state === 'unavailable') return `not available here: ${d.reason}`;
  if (d.state === 'failed') return `failed: ${d.error}`;
  const q = d.latency.find((x) => samePoint(x, p));
  return q === undefined ? NONE : `${ms(q.p50Ms)} / ${ms(q.p99Ms)}`;
}

/** The first device's p50 columns name it; the others get a column per grid point each. */
export function latencyTitle(p: LatencyPoint, device: DeviceName | undefined): string {
  return `p50 / p99 (ms) ${gridLabel(p)}${device === undefined ? '' : ` ${device}`}`;
}

export function otherDeviceCells(v: CompletedVariant, devices: readonly DeviceName[], grid: readonly LatencyPoint[]): string[] {
  return devices.slice(1).flatMap((device) => grid.map((p) => deviceLatencyText(v.latencyByDevice?.find((d) => d.device === device), p)));
}

export function transformersJsText(c: TransformersJsCheck | undefined): string {
  if (c === undefined) return NONE;
  const as = c.dtype !== undefined ? `dtype ${c.dtype}` : c.file !== undefined ? `file ${c.file}` : '';
  const load = as === '' ? '' : ` (${as})`;
  switch (c.state) {
    case 'agrees':
    case 'disagrees':
      return `${c.state}${load}: ${c.agreement ?? 0}/${c.examples ?? 0}`;
    case 'fails':
      return `fails${load}: ${c.error ?? 'unknown error'}`;
    case 'not installed':
      return 'not installed';
  }
}

/** For the environment line: which device's figures the claims and the recommendation read. */
export function devicesText(e: Pick<Env, 'devices'>): string | undefined {
  if (e.devices === undefined || e.devices.length < 2) return undefined;
  const describe = (ds: NonNullable<Env['devices']>) => ds.map((d) => `${d.device} (${d.runtime}, ${d.threads} threads)`).join(', ');
  const inNode = e.devices.filter((d) => !isBrowserDevice(d.device));
  const inBrowser = e.devices.filter((d) => isBrowserDevice(d.device));
  const together = inNode.length > 1 ? ', timed in the same rounds' : '';
  const browser = inBrowser.length === 0 ? '' : `; then ${describe(inBrowser)}, in rounds of their own (a fresh page per variant and round)`;
  return `devices ${describe(inNode)}${together}${browser}; claims and the recommendation use the first, ${e.devices[0]?.device}`;
}
