import fs from 'node:fs';
import path from 'node:path';
import { CheckpointError } from '../errors.js';
import type { TensorSource } from '../tensor.js';
import { openSafetensors } from './safetensors.js';
import type { StateDict } from './types.js';

/**
 * The tensor-to-shard map of `model.safetensors.index.json`, every shard a plain file name beside
 * the index (a name with a folder in it could read files outside the checkpoint).
 */
export function readWeightMap(indexFile: string): Map<string, string> {
  let index: unknown;
  try {
    index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new CheckpointError(indexFile, why);
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new CheckpointError(indexFile, 'has no "weight_map" object mapping tensor names to shard files');
  }
  const shardOf = new Map<string, string>();
  for (const [key, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard !== path.basename(shard) || shard.startsWith('.')) {
      throw new CheckpointError(indexFile, `maps "${key}" to ${JSON.stringify(shard)}, which is not a file name inside the checkpoint folder`);
    }
    shardOf.set(key, shard);
  }
  return shardOf;
}

/** The distinct shard file names `model.safetensors.index.json` names, in the order it first names them, validated as above. */
export function shardFiles(indexFile: string): string[] {
  return [...new Set(readWeightMap(indexFile).values())];
}

/** Opens `model.safetensors.index.json` and every shard it names, as one state dict. */
export function openShardedSafetensors(indexFile: string): StateDict {
  const shardOf = readWeightMap(indexFile);
  const dir = path.dirname(indexFile);
  const opened: StateDict[] = [];
  try {
    const byShard = new Map<string, StateDict>();
    for (const shard of new Set(shardOf.values())) {
      const shardPath = path.join(dir, shard);
      if (!fs.existsSync(shardPath)) {
        throw new CheckpointError(indexFile, `names shard "${shard}", which is missing from ${dir}; download all shards`);
      }
      const sd = openSafetensors(shardPath);
      opened.push(sd);
      byShard.set(shard, sd);
    }
    const tensors = new Map<string, TensorSource>();
    for (const [key, shard] of shardOf) {
      const t = byShard.get(shard)?.tensors.get(key);
      if (t === undefined) throw new CheckpointError(path.join(dir, shard), `does not hold "${key}", which ${path.basename(indexFile)} says it does`);
      tensors.set(key, t);
    }
    return { file: indexFile, tensors, close: () => opened.forEach((sd) => sd.close()) };
  } catch (e) {
    opened.forEach((sd) => sd.close());
    throw e;
  }
}
