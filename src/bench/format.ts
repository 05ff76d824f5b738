import { mb } from '../util/format.js';
import type { BenchReport, CpuFlags, Environment, ModelResult, PointResult } from './schema.js';
import { safeLines } from '../util/safe-text.js';

/** One decimal below 100 MB, whole MB above: the table's column stays narrow. */
const megabytes = (bytes: number) => `${mb(bytes, bytes < 1e8 ? 1 : 0)} MB`;
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

const FLAG_NAMES: ReadonlyArray<[keyof CpuFlags, string]> = [
  ['avx2', 'AVX2'], ['avx512f', 'AVX-512'], ['avx512Vnni', 'AVX-512 VNNI'], ['avxVnni', 'AVX-VNNI'], ['amx', 'AMX'],
];

function formatEnvironment(env: Environment): string {
  const flags = FLAG_NAMES.filter(([k]) => env.cpu.flags[k]).map(([, name]) => name);
  const rt = env.onnxruntime;
  const gpus = env.gpus.length === 0 ? '' : `; GPU ${env.gpus.map((g) => g.name).join(', ')}`;
  const cpu = `${env.cpu.model} (${env.cpu.physicalCores} cores / ${env.cpu.logicalCores} threads; ${flags.length > 0 ? flags.join(', ') : 'no AVX2'})`;
  const load = env.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ');
  const web = env.onnxruntimeWeb?.version ?? '?';
  const first = rt.executionProvider === 'wasm'
    ? `onnxruntime-web ${web} on wasm (SIMD), ${rt.intraOpThreads} thread(s) (env.wasm.numThreads)`
    : `onnxruntime-node ${rt.version} on ${rt.executionProvider}, ${rt.intraOpThreads} intra-op thread(s)`;
  const other = env.onnxruntimeWeb === undefined ? ''
    : rt.executionProvider === 'wasm' ? `; onnxruntime-node ${rt.version} for cpu` : `; onnxruntime-web ${web} for wasm`;
  return [
    `${first}, graph optimisation "${rt.graphOptimizationLevel}"${other}; Node ${env.node}`,
    `${cpu}, ${(env.memoryTotalBytes / 2 ** 30).toFixed(1)} GiB, ${env.os.name}${gpus}; load average ${load} at start`,
  ].join('\n');
}

const COLUMNS = [
  'model', 'batch', 'seq', 'p50 ms', 'spread ms', 'p90 ms', 'p99 ms', '±rme', 'n', 'peak RSS load', 'peak RSS runs', 'GFLOP', 'GFLOP/s',
] as const;

/** The model column names the device when several were timed; a device's threads when they differ from the first's. */
function modelCell(m: ModelResult, first: ModelResult | undefined, devices: number): string {
  if (devices <= 1 || m.device === undefined) return m.label;
  const threads = m.runtime !== undefined && m.runtime.intraOpThreads !== first?.runtime?.intraOpThreads ? ` x${m.runtime.intraOpThreads}` : '';
  return `${m.label} [${m.device}${threads}]`;
}

function row(m: ModelResult, modelText: string, p: PointResult): string[] {
  const head = [modelText, String(p.batchSize), String(p.sequenceLength)];
  if (p.state === 'failed') return [...head, `failed: ${p.error.message}`];
  if (p.state === 'unsupported') return [...head, `unsupported on ${p.device}: no ${p.op} kernel in its runtime (a finding, not a failure)`];
  const l = p.latency;
  const runs = megabytes(p.memory.peakRssAfterRunsBytes);
  const memory = p.memory.gpuBytes === null ? runs : `${runs} (GPU ${megabytes(p.memory.gpuBytes)})`;
  return [
    ...head, ms(l.p50Ms), p.roundP50sMs.length > 1 ? ms(p.spreadMs) : '-',
    ms(l.p90Ms), ms(l.p99Ms), `${l.relativeMarginOfErrorPercent.toFixed(1)}%`, String(l.samples),
    megabytes(p.memory.peakRssAfterLoadBytes), memory,
    p.flops === null ? '-' : (p.flops.total / 1e9).toPrecision(3),
    p.achievedGflopPerSecondAtP50 === null ? '-' : p.achievedGflopPerSecondAtP50.toPrecision(3),
  ];
}

function table(rows: readonly string[][]): string {
  const fullRows = rows.filter((r) => r.length === COLUMNS.length);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...fullRows.map((r) => r[i]?.length ?? 0)));
  // A failed point's message runs on from the seq column instead of being squeezed into one.
  const cellText = (r: readonly string[], cell: string, i: number) => {
    if (i === 0) return cell.padEnd(widths[i] ?? 0);
    return i === COLUMNS.indexOf('p50 ms') && r.length < COLUMNS.length ? cell : cell.padStart(widths[i] ?? 0);
  };
  const line = (r: readonly string[]) => r.map((cell, i) => cellText(r, cell, i)).join('  ');
  return [line(COLUMNS), ...rows.map(line)].join('\n');
}

function modelNotes(m: ModelResult): string {
  const params = m.params === null
    ? 'parameters unknown (no config.json)'
    : `${millions(m.params.unique.total)} parameters unique, ${millions(m.params.executed.total)} executed`;
  const fused = m.optimizedGraph === null ? 'not read' : Object.entries(m.optimizedGraph.fusedOps).map(([op, n]) => `${op} x${n}`).join(', ') || 'none';
  return `${m.label}: ${m.modelType ?? 'unknown type'} ${m.task ?? ''}, ${megabytes(m.modelBytesOnDisk)} on disk, ${params}; fused ops: ${fused}`;
}

function roundsNote(r: BenchReport): string {
  const when = `measured from ${r.startedAt}, 1-minute load average ${r.environment.loadAverageAtStart[0].toFixed(2)} at start`;
  if (r.settings.rounds === 1) return `one round (--rounds 1: no spread between rounds); ${when}`;
  return `${r.settings.rounds} rounds, each model in its own process per round, order reversed between rounds; `
    + `p50 is the median of the rounds' p50s, spread is highest minus lowest, the other statistics are the median round's; ${when}`;
}

/** The stdout table: one row per model and grid point, then what each model is and what onnxruntime fused. */
export function formatBenchReport(r: BenchReport): string {
  const devices = new Set(r.models.map((m) => m.device)).size;
  const rows = r.models.flatMap((m) => m.points.map((p) => row(m, modelCell(m, r.models[0], devices), p)));
  const notes = r.models.filter((m, i) => r.models.findIndex((o) => o.label === m.label) === i);
  return safeLines([
    formatEnvironment(r.environment),
    '',
    table(rows),
    '',
    ...notes.map(modelNotes),
    `latency after ${r.settings.warmupIterations} warm-up runs, at least ${r.settings.stop.minIterations} runs and ${r.settings.stop.minTimeMs} ms per point;`
      + " memory is the child's peak RSS (VmHWM); GFLOP counts matmuls (see src/arch/flops.ts), GFLOP/s at p50",
    roundsNote(r),
  ].join('\n'));
}
