import type { TextTable } from './text-table.js';

/** A deployment section as plain text, laid out alike by report.md and report.html (deployment-view.ts builds them). */
export type Block =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'table'; readonly table: TextTable }
  | { readonly kind: 'list'; readonly items: readonly string[] };

export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export const NONE = '—';

/** "480" requests per second; three significant digits below 100. */
export function rateText(x: number): string {
  return x >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(3)));
}

export const poolText = (p: { readonly workers: number; readonly threadsPerWorker: number }): string =>
  `${p.workers} worker${p.workers === 1 ? '' : 's'} × ${p.threadsPerWorker} thread${p.threadsPerWorker === 1 ? '' : 's'}`;
