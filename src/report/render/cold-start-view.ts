import { mb, ms } from '../../util/format.js';
import type { ColdStart, ColdStartPartName, ColdStartRun } from '../model/deployment-types.js';
import type { CompletedVariant } from '../model/types.js';
import { NONE, type Section } from './deployment-blocks.js';

/** Cold start per variant and device: the median run's total, its parts (which add up to it), memory, and a browser's computed download. */

const PART_TITLES: ReadonlyArray<[ColdStartPartName, string]> = [
  ['spawn', 'spawn'], ['runtime-import', 'runtime import'], ['open-page', 'open page'], ['read-file', 'read file from the OS cache'],
  ['create-session', 'create session'], ['first-run', 'first run'],
];

function row(v: CompletedVariant, c: ColdStart, parts: readonly ColdStartPartName[], downloads: boolean): string[] {
  const blanks = (n: number) => Array.from({ length: n }, () => NONE);
  if (c.state === 'failed') return [v.id, c.device, `failed: ${c.error}`, ...blanks(parts.length + 1 + (downloads ? 2 : 0))];
  const partCells = parts.map((p) => {
    const found = c.parts.find((x) => x.part === p);
    return found === undefined ? NONE : ms(found.ms);
  });
  const memory = c.peakRssAfterFirstRunBytes === null ? 'not visible to a page' : mb(c.peakRssAfterFirstRunBytes, 1);
  const download = c.download === undefined ? [NONE, NONE] : [ms(c.download.ms), ms(c.download.ms + c.totalMs)];
  return [v.id, c.device, ms(c.totalMs), ...partCells, memory, ...(downloads ? download : [])];
}

export function coldStartSection(variants: readonly CompletedVariant[], run: ColdStartRun): Section | undefined {
  const starts = variants.flatMap((v) => (v.deployment?.coldStart ?? []).map((c) => ({ v, c })));
  if (starts.length === 0) return undefined;
  const present = new Set(starts.flatMap(({ c }) => (c.state === 'measured' ? c.parts.map((p) => p.part) : [])));
  const parts = PART_TITLES.filter(([p]) => present.has(p));
  const downloads = starts.some(({ c }) => c.state === 'measured' && c.download !== undefined);
  const bandwidth = `${run.bandwidthMbitPerSecond} Mbit/s`;
  const header = [
    'variant', 'device', `total (ms, median of ${run.runs})`, ...parts.map(([, title]) => `${title} (ms)`), 'peak RSS after first run (MB)',
    ...(downloads ? [`download at ${bandwidth} (ms, computed)`, 'total with download (ms)'] : []),
  ];
  const text = `From nothing to the first prediction: ${run.runs} runs per variant and device, each in a fresh process (in a browser, a fresh`
    + ' page of the running browser), the order reversing each run; the median run is shown with its own parts, which add up to its total.'
    + ' Spawn is Node\'s start-up up to albench\'s first line; the first run is at the grid\'s first point. The model file comes from the OS\'s'
    + ' page cache (albench reads it once before the runs), as on a server that has just pulled it; memory is the peak resident set after'
    + ` the first run, measured as a variant's peak RSS is.${downloads ? ` A browser target's download is computed from the file's size at ${bandwidth}`
      + ' (a typical home connection), not measured.' : ''}`;
  return {
    title: 'Cold start',
    blocks: [
      { kind: 'text', text },
      { kind: 'table', table: { header, rows: starts.map(({ v, c }) => row(v, c, parts.map(([p]) => p), downloads)), numeric: header.map((_, i) => i >= 2) } },
    ],
  };
}
