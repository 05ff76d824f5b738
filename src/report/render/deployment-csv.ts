import type { VariantDeployment } from '../model/deployment-types.js';
import type { DeviceName } from '../model/types.js';
import { bestPool } from './load-view.js';

/**
 * report.csv's deployment columns, last in every row (empty where nothing was measured): a row's
 * device's real-input cost and cold start, and on a cpu row the throughput under load and its pool.
 */
export const DEPLOYMENT_COLUMNS = [
  'real_inputs_mean_ms', 'real_inputs_p50_ms', 'real_inputs_p99_ms', 'real_inputs_requests_per_second', 'real_inputs_spread_ms',
  'cold_start_total_ms', 'cold_start_parts_ms', 'cold_start_peak_rss_bytes', 'cold_start_download_ms_computed',
  'load_throughput_requests_per_second', 'load_pool', 'load_p99_bound_ms', 'deployment_note',
] as const;

type Cells = Partial<Record<(typeof DEPLOYMENT_COLUMNS)[number], string | number>>;

/** `device` is the row's; a row without one (a report of one device) takes the first entry of each list. */
export function deploymentCells(d: VariantDeployment | undefined, device: DeviceName | undefined, p99BoundMs: number | undefined): Cells {
  if (d === undefined) return {};
  const pick = <T extends { readonly device: DeviceName }>(list: readonly T[] | undefined) =>
    (device === undefined ? list?.[0] : list?.find((x) => x.device === device));
  const notes: string[] = [];
  const real = pick(d.realInputs);
  const cold = pick(d.coldStart);
  const cells: Cells = {};
  if (real?.state === 'measured') {
    Object.assign(cells, {
      real_inputs_mean_ms: real.meanMs, real_inputs_p50_ms: real.p50Ms, real_inputs_p99_ms: real.p99Ms,
      real_inputs_requests_per_second: real.requestsPerSecond, real_inputs_spread_ms: real.spreadMs,
    });
  } else if (real?.state === 'failed') notes.push(`real inputs failed: ${real.error}`);
  if (cold?.state === 'measured') {
    Object.assign(cells, {
      cold_start_total_ms: cold.totalMs, cold_start_parts_ms: cold.parts.map((p) => `${p.part}=${p.ms}`).join(' '),
      ...(cold.peakRssAfterFirstRunBytes === null ? {} : { cold_start_peak_rss_bytes: cold.peakRssAfterFirstRunBytes }),
      ...(cold.download === undefined ? {} : { cold_start_download_ms_computed: cold.download.ms }),
    });
  } else if (cold?.state === 'failed') notes.push(`cold start failed: ${cold.error}`);
  const load = device === undefined || device === 'cpu' ? d.load : undefined;
  if (load?.state === 'measured') {
    const best = bestPool(load.pools);
    Object.assign(cells, {
      ...(best?.throughputRequestsPerSecond == null ? {} : { load_throughput_requests_per_second: best.throughputRequestsPerSecond }),
      ...(best === undefined ? {} : { load_pool: `${best.workers}x${best.threadsPerWorker}` }),
      ...(p99BoundMs === undefined ? {} : { load_p99_bound_ms: p99BoundMs }),
    });
  } else if (load?.state === 'failed') notes.push(`load failed: ${load.error}`);
  return { ...cells, ...(notes.length > 0 ? { deployment_note: notes.join('; ') } : {}) };
}
