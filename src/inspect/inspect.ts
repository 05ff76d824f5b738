import fs from 'node:fs';
import path from 'node:path';
import { findWeightsFile, openCheckpoint } from '../checkpoint/load.js';
import { readConfigFile, type EncoderConfig } from '../checkpoint/config.js';
import { knownConfig, KNOWN_CONFIG_NAMES } from '../arch/known.js';
import { MODEL_SPECS } from '../arch/registry.js';
import { headFromArchitectures, type HeadName } from '../arch/types.js';
import { UsageError } from '../errors.js';
import { Weights } from '../convert/weights.js';
import { countParams, type ParamCounts } from '../arch/params.js';
import { bytesByDtype } from './bytes-by-dtype.js';
import { CONFIG_FILE } from '../model-folder/layout.js';
import { safeLine } from '../util/safe-text.js';

export interface InspectReport {
  readonly source: string;
  readonly modelType: string;
  readonly task: HeadName;
  readonly config: {
    readonly hiddenSize: number; readonly embeddingSize: number; readonly layers: number; readonly groups: number;
    readonly innerGroupNum: number; readonly heads: number; readonly intermediateSize: number; readonly vocabSize: number;
  };
  readonly params: ParamCounts;
  /** Bytes per dtype: of the file for a checkpoint, of fp32 weights for a config without weights. */
  readonly bytesByDtype: Readonly<Record<string, number>>;
}

function summary(cfg: EncoderConfig): InspectReport['config'] {
  return {
    hiddenSize: cfg.hiddenSize, embeddingSize: cfg.embeddingSize, layers: cfg.numHiddenLayers, groups: cfg.numHiddenGroups,
    innerGroupNum: cfg.innerGroupNum, heads: cfg.numAttentionHeads, intermediateSize: cfg.intermediateSize, vocabSize: cfg.vocabSize,
  };
}

/** Counts from a config alone (parameter counting needs no weights); bytes are those of fp32 weights. */
function fromConfig(source: string, config: EncoderConfig, task: HeadName | undefined): InspectReport {
  const head = task ?? headFromArchitectures(config.architectures);
  const params = countParams(config, MODEL_SPECS[config.modelType].layout(config), head);
  return { source, modelType: config.modelType, task: head, config: summary(config), params, bytesByDtype: { float32: params.unique.total * 4 } };
}

/** The config file to count from when `target` is a config.json itself, or a folder with a config but no weights. */
function configOnlyFile(target: string): string | undefined {
  if (!fs.statSync(target).isDirectory()) return target;
  const configFile = path.join(target, CONFIG_FILE);
  const hasWeights = findWeightsFile((file) => fs.existsSync(path.join(target, file))) !== undefined;
  return fs.existsSync(configFile) && !hasWeights ? configFile : undefined;
}

/** Parameter and byte counts of a checkpoint folder, a config.json (or a folder holding only one), or a known config name. */
export function inspect(target: string, task?: HeadName): InspectReport {
  if (!fs.existsSync(target)) {
    if (!KNOWN_CONFIG_NAMES.includes(target)) {
      throw new UsageError(`${target} is neither a checkpoint folder, a config.json, nor a known config (${KNOWN_CONFIG_NAMES.join(', ')})`);
    }
    return fromConfig(target, knownConfig(target).config, task);
  }
  const configFile = configOnlyFile(target);
  if (configFile !== undefined) return fromConfig(target, readConfigFile(configFile), task);
  const ckpt = openCheckpoint(target);
  try {
    const { config } = ckpt;
    const spec = MODEL_SPECS[config.modelType];
    const layout = spec.layout(config);
    const head = task ?? headFromArchitectures(config.architectures);
    const hasPooler = new Weights(ckpt.stateDict, spec).has(layout.pooler.weight);
    const params = countParams(config, layout, head, hasPooler);
    return { source: target, modelType: config.modelType, task: head, config: summary(config), params, bytesByDtype: bytesByDtype(ckpt.stateDict) };
  } finally {
    ckpt.stateDict.close();
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function formatInspect(r: InspectReport): string {
  const c = r.config;
  const rows: Array<[string, number, number]> = (['embeddings', 'encoder', 'pooler', 'head'] as const)
    .map((k) => [k, r.params.unique.byComponent[k], r.params.executed.byComponent[k]]);
  rows.push(['total', r.params.unique.total, r.params.executed.total]);
  const width = Math.max(...rows.map(([, u, e]) => Math.max(fmt(u).length, fmt(e).length)), 'executed'.length);
  const lines = [
    `${r.source}: ${r.modelType} (${r.task}), hidden ${c.hiddenSize}, embedding ${c.embeddingSize}, ${c.layers} layers, `
      + `${c.groups} group(s) x ${c.innerGroupNum} inner, ${c.heads} heads, intermediate ${c.intermediateSize}, vocab ${c.vocabSize}`,
    '',
    `${'component'.padEnd(12)}${'unique'.padStart(width + 2)}${'executed'.padStart(width + 2)}`,
    ...rows.map(([k, u, e]) => `${k.padEnd(12)}${fmt(u).padStart(width + 2)}${fmt(e).padStart(width + 2)}`),
    '',
    `executed / unique: ${(r.params.executed.total / r.params.unique.total).toFixed(2)}x (layer sharing saves storage, not compute)`,
    `bytes: ${Object.entries(r.bytesByDtype).map(([d, b]) => `${d} ${fmt(b)}`).join(', ')}`,
  ];
  return lines.map(safeLine).join('\n');
}
