import fs from 'node:fs';
import path from 'node:path';
import { CheckpointError } from '../errors.js';
import { readConfigFile, type EncoderConfig } from './config.js';
import { openSafetensors } from './safetensors.js';
import { openShardedSafetensors, shardFiles } from './sharded.js';
import { openTorchBin } from './torch-bin.js';
import type { StateDict } from './types.js';
import { resolveInside } from '../util/safe-read.js';

export type WeightsFormat = 'safetensors' | 'bin';

interface WeightFile {
  readonly file: string;
  readonly format: WeightsFormat;
  readonly open: (p: string) => StateDict;
}

export const CONFIG_FILE = 'config.json';
export const SHARD_INDEX_FILE = 'model.safetensors.index.json';

/** Weight files in the order transformers prefers them; safetensors first because it cannot run code. */
const WEIGHT_FILES: readonly WeightFile[] = [
  { file: 'model.safetensors', format: 'safetensors', open: openSafetensors },
  { file: SHARD_INDEX_FILE, format: 'safetensors', open: openShardedSafetensors },
  { file: 'pytorch_model.bin', format: 'bin', open: openTorchBin },
];

/** Weight file names albench reads, best first, limited to one format when `prefer` is given. */
export function weightFileNames(prefer?: WeightsFormat): string[] {
  return WEIGHT_FILES.filter((w) => prefer === undefined || w.format === prefer).map((w) => w.file);
}

/**
 * The weight file a checkpoint should be read from, given which files it has. Shared with the hub
 * download so it fetches exactly the file this reader will then open.
 */
export function findWeightsFile(has: (file: string) => boolean, prefer?: WeightsFormat): WeightFile | undefined {
  return WEIGHT_FILES.find((w) => (prefer === undefined || w.format === prefer) && has(w.file));
}

interface Checkpoint {
  readonly dir: string;
  readonly configFile: string;
  readonly config: EncoderConfig;
  readonly weightsFile: string;
  readonly stateDict: StateDict;
}

export function openCheckpoint(dir: string, prefer?: WeightsFormat): Checkpoint {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CheckpointError(dir, 'is not a folder; give a checkpoint folder holding config.json and model.safetensors or pytorch_model.bin');
  }
  const configFile = path.join(dir, CONFIG_FILE);
  const config = readConfigFile(configFile);
  // Every weight file must be a regular file inside the folder: a link out of it (or to /dev/zero) is refused.
  const found = findWeightsFile((file) => resolveInside(dir, file) !== null, prefer);
  if (found === undefined) {
    throw new CheckpointError(dir, `holds none of ${weightFileNames(prefer).join(', ')}; download the weights next to config.json`);
  }
  const weightsFile = path.join(dir, found.file);
  if (found.file === SHARD_INDEX_FILE) for (const shard of shardFiles(weightsFile)) resolveInside(dir, shard);
  return { dir, configFile, config, weightsFile, stateDict: found.open(weightsFile) };
}

/** Files a converted folder carries over so tokenizers and runtimes load it as they would the original. */
export const TOKENIZER_FILES = [
  'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'spiece.model', 'added_tokens.json',
] as const;

/**
 * Every file of a checkpoint folder albench may read (config.json, each weight file it knows, the
 * tokenizer files), besides the shards an index names: the one list compare hashes and the hub
 * download and its cache check follow.
 */
export const CHECKPOINT_FILES: readonly string[] = [CONFIG_FILE, ...WEIGHT_FILES.map((w) => w.file), ...TOKENIZER_FILES];
