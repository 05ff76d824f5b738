import { gridLabel } from './format.js';
import type { Env, Report, Settings, SubsetSetting } from './schema.js';

/** The one-line environment every report carries: a latency figure means little without it. */
export function envLine(report: Pick<Report, 'env' | 'albenchVersion' | 'createdAt'>): string {
  const e: Env = report.env;
  const flags = e.cpuFlags.length > 0 ? ` (${e.cpuFlags.join(', ')})` : '';
  return [
    `${e.cpuModel}${flags}`,
    `${e.logicalCores} logical cores`,
    `${(e.memoryBytes / 1e9).toFixed(1)} GB RAM`,
    e.os,
    `Node ${e.node}`,
    `onnxruntime ${e.onnxruntime} on ${e.device} (${e.executionProvider}, ${e.threads} threads)`,
    `albench ${report.albenchVersion}`,
    report.createdAt,
  ].join(' · ');
}

export function subsetText(s: SubsetSetting): string {
  switch (s.kind) {
    case 'all':
      return 'the full dev set';
    case 'limit':
      return `the first ${s.limit} dev examples`;
    case 'sample':
      return `a label-stratified sample of ${s.size} dev examples (seed ${s.seed})`;
  }
}

export function settingsLine(s: Settings): string {
  const grid = s.batchSizes.flatMap((b) => s.sequenceLengths.map((q) => gridLabel({ batchSize: b, sequenceLength: q })));
  return `Task ${s.task} on ${subsetText(s.subset)}; latency at ${grid.join(', ')} (b = batch size, s = sequence length) after ${s.warmupIterations} warm-up runs; variants ${s.variants.join(', ')}.`;
}
