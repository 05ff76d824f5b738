import fs from 'node:fs';
import path from 'node:path';
import { CheckpointError } from '../errors.js';
import { readConfigFile, type EncoderConfig } from './config.js';
import { openSafetensors } from './safetensors.js';
import { openShardedSafetensors } from './sharded.js';
import { openTorchBin } from './torch-bin.js';
import type { StateDict } from './types.js';

export type WeightsFormat = 'safetensors' | 'bin';

/** Weight files in the order transformers prefers them; safetensors first because it cannot run code. */
const WEIGHT_FILES: ReadonlyArray<{ file: string; format: WeightsFormat; open: (p: string) => StateDict }> = [
  { file: 'model.safetensors', format: 'safetensors', open: openSafetensors },
  { file: 'model.safetensors.index.json', format: 'safetensors', open: openShardedSafetensors },
  { file: 'pytorch_model.bin', format: 'bin', open: openTorchBin },
];

export interface Checkpoint {
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
  const configFile = path.join(dir, 'config.json');
  const config = readConfigFile(configFile);
  const candidates = WEIGHT_FILES.filter((w) => prefer === undefined || w.format === prefer);
  const found = candidates.find((w) => fs.existsSync(path.join(dir, w.file)));
  if (found === undefined) {
    throw new CheckpointError(dir, `holds none of ${candidates.map((w) => w.file).join(', ')}; download the weights next to config.json`);
  }
  const weightsFile = path.join(dir, found.file);
  return { dir, configFile, config, weightsFile, stateDict: found.open(weightsFile) };
}

/** Files a converted folder carries over so tokenizers and runtimes load it as they would the original. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'spiece.model', 'added_tokens.json'] as const;
