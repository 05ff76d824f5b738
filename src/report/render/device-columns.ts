import { samePoint } from '../model/figures.js';
import { ms } from '../../util/format.js';
import { gridLabel } from '../model/units.js';
import type { CompletedVariant, DeviceLatency, DeviceName, LatencyPoint, TransformersJsCheck } from '../model/types.js';

/**
 * The columns a report gains when several devices were timed (latency on each device after the
 * first) and when transformers.js was checked; model-table.ts places them, the renderers lay them out.
 */
const NONE = '—';

/** The devices every variant was timed on, in order, from the first variant that carries them; one device: []. */
export function devicesOf(variants: readonly CompletedVariant[]): DeviceName[] {
  return variants.find((v) => v.latencyByDevice !== undefined)?.latencyByDevice?.map((d) => d.device) ?? [];
}

function deviceLatencyText(d: DeviceLatency | undefined, p: LatencyPoint): string {
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
      return `${c.state}${load}: ${c.agreement ?? 0}/${c.examples ?? 0}${c.reused === true ? ' (reused)' : ''}`;
    case 'fails':
      return `fails${load}: ${c.error ?? 'unknown error'}`;
    case 'not installed':
      return 'not installed';
  }
}
