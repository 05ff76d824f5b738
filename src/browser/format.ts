import type { BrowserBenchReport, BrowserModelResult } from './schema.js';
import { safeLines } from '../util/safe-text.js';

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const COLUMNS = ['model', 'batch', 'seq', 'p50 ms', 'spread ms', 'p90 ms', 'p99 ms', 'mean ms', '±rme', 'n'] as const;

function rows(m: BrowserModelResult): string[][] {
  if (m.state === 'unavailable') return [[m.label, '-', '-', `not available here: ${m.reason}`]];
  if (m.state === 'failed') return [[m.label, '-', '-', `failed to load: ${m.error}`]];
  return m.points.map((p) => {
    const head = [m.label, String(p.batchSize), String(p.sequenceLength)];
    if (p.state === 'failed') return [...head, `failed: ${p.error}`];
    const l = p.latency;
    const spread = p.roundP50sMs.length > 1 ? ms(p.spreadMs) : '-';
    return [...head, ms(l.p50Ms), spread, ms(l.p90Ms), ms(l.p99Ms), ms(l.meanMs), `${l.relativeMarginOfErrorPercent.toFixed(1)}%`, String(l.samples)];
  });
}

/** The table `albench browser-bench` prints, under two lines saying which browser and backend measured. */
export function formatBrowserBenchReport(r: BrowserBenchReport): string {
  const b = r.browser;
  const threads = r.models.find((m) => m.state === 'measured');
  const load = r.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ');
  const header = [
    `onnxruntime-web ${b.onnxruntimeWebVersion} (${r.settings.device}) in Chromium ${b.version} (${b.executable}), headless;`
      + ` ${threads?.state === 'measured' ? threads.wasmThreads : r.settings.threads} WebAssembly thread(s),`
      + ` ${b.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated (one thread)'}`,
    `WebGPU: ${b.webgpuUnavailable === null ? `available (${b.webgpuAdapter ?? 'adapter unnamed'})`
      : r.settings.device === 'wasm' ? b.webgpuUnavailable : `not available here (${b.webgpuUnavailable})`};`
      + ` load average ${load} at start`,
  ];
  const table = [[...COLUMNS], ...r.models.flatMap(rows)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.filter((t) => t.length === COLUMNS.length).map((t) => (t[i] ?? '').length)));
  const lines = table.map((t) => (t.length === COLUMNS.length ? t.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ') : t.join('  ')).trimEnd());
  return safeLines([...header, '', ...lines].join('\n'));
}
