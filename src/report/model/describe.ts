import path from 'node:path';

import { gridLabel } from './units.js';
import { isBrowserDevice, type Env, type ModelFacts, type Recommendation, type Report, type Settings, type SubsetSetting } from './types.js';

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
    ...(devicesText(e) === undefined ? [] : [devicesText(e) as string]),
    `albench ${report.albenchVersion}`,
    report.createdAt,
  ].join(' · ');
}

function scoredRowsText(s: SubsetSetting): string {
  switch (s.kind) {
    case 'all':
      return 'the full dev set';
    case 'limit':
      return `the first ${s.limit} dev examples`;
    case 'sample':
      return `a label-stratified sample of ${s.size} dev examples (seed ${s.seed})`;
  }
}

/** The scored rows in words; regress and merge compare reports' subsets by this text, so it names every choice. */
export function subsetText(s: SubsetSetting): string {
  const slice = s.calibrationSlice;
  if (slice === undefined) return scoredRowsText(s);
  const held = `a calibration slice of ${slice.size} rows, seed ${slice.seed}`;
  return s.kind === 'all' ? `dev minus ${held}` : `${scoredRowsText(s)} outside ${held}`;
}

export function settingsLine(s: Settings): string {
  const grid = s.batchSizes.flatMap((b) => s.sequenceLengths.map((q) => gridLabel({ batchSize: b, sequenceLength: q })));
  const latency = `latency at ${grid.join(', ')} (b = batch size, s = sequence length) after ${s.warmupIterations} warm-up runs`;
  return `Task ${s.task} on ${subsetText(s.subset)}; ${latency}; variants ${s.variants.join(', ')}.`;
}

/** "albert, hidden 128, embedding 32, 4 layers, 1 group": the shape that decides what a model costs. */
export function modelShape(m: ModelFacts): string {
  return `${m.modelType}, hidden ${m.hiddenSize}, embedding ${m.embeddingSize}, ${m.layers} layers, ${m.groups} group${m.groups === 1 ? '' : 's'}`;
}

/**
 * A model's source as the human-facing reports show it: an absolute folder path (written to the
 * JSON only with compare --full-paths) is named by the model's label instead.
 */
export function shownSource(m: ModelFacts): string {
  return path.isAbsolute(m.source) || /^[A-Za-z]:[\\/]/.test(m.source) ? `folder: ${m.id}` : m.source;
}

/** Each of a model's variants that carries a recipe, with the recipe in one line. */
export function recipeLines(report: Pick<Report, 'variants'>, model: ModelFacts): Array<{ variant: string; recipe: string }> {
  return report.variants.flatMap((v) => {
    if (v.model !== model.id || v.state !== 'completed' || v.recipe === undefined) return [];
    return [{ variant: v.variant, recipe: v.recipe.join('; ') }];
  });
}

export function recommendationTitle(kind: Recommendation['kind']): string {
  return kind === 'pareto' ? 'Pareto set' : kind === 'best-fit' ? 'Recommended' : 'No variant fits';
}

export const NO_CLAIMS = 'Not tested: the report has no ALBERT/BERT pair.';

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
