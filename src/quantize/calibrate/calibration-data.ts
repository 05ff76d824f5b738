import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../../checkpoint/config.js';
import { UsageError } from '../../errors.js';
import { tokenizedBatches } from '../../tokenizers/batching.js';
import { glueSplitPath, readGlueSplit } from '../../glue/read-split.js';
import { heldOutRows, selectSubset, takeExamples, type CalibrationSlice } from '../../glue/subset.js';
import { findGlueTask, type GlueSplit, type GlueTaskId } from '../../glue/tasks.js';
import type { TokenBatch } from '../../tokenizers/encode.js';
import { loadTokenizer } from '../../tokenizers/load.js';

export interface CalibrationDataRequest {
  /** A GLUE task name or id (sst2, SST-2, mrpc ...). */
  readonly task: string;
  /** GLUE's layout: <data>/<task dir>/train.tsv and dev.tsv. */
  readonly dataDir: string;
  /** How many examples: a seeded sample stratified by label, or the whole split if it is smaller. */
  readonly samples: number;
  readonly seed: number;
  readonly batchSize: number;
  /** Token limit per example; capped by the model's position embeddings. */
  readonly maxLength: number;
  /**
   * Where the examples come from, when the caller scores dev and must know: the train split (an
   * error without one), or only the rows of a dev slice kept out of the scoring. Unset: train
   * where the data folder has it, else all of dev (`albench quantize --calibrate`, which scores nothing).
   */
  readonly source?: CalibrationSource;
}

export type CalibrationSource = { readonly split: 'train' } | { readonly split: 'dev'; readonly slice: CalibrationSlice };

export interface CalibrationData {
  readonly task: GlueTaskId;
  /** The source's split; unset, train where the data folder has it, so calibration does not read the dev rows eval scores. */
  readonly split: GlueSplit;
  readonly file: string;
  /** Row indices of the examples used, ascending. */
  readonly indices: readonly number[];
  readonly batches: readonly TokenBatch[];
  readonly tokens: number;
}

/** Real task text, tokenized by the model folder's own tokenizer and batched by similar length (each batch padded only to its own longest). */
export function calibrationData(modelDir: string, req: CalibrationDataRequest): CalibrationData {
  if (!Number.isSafeInteger(req.samples) || req.samples < 1) throw new UsageError(`--samples must be a positive integer, got ${req.samples}`);
  const task = findGlueTask(req.task);
  const split: GlueSplit = req.source?.split ?? (fs.existsSync(glueSplitPath(task, 'train', req.dataDir)) ? 'train' : 'dev');
  const data = readGlueSplit(task, split, req.dataDir);
  const pool = req.source?.split === 'dev' ? heldOutRows(data, req.source.slice) : null;
  const sample = selectSubset(pool === null ? data : takeExamples(data, pool), { kind: 'sample', size: req.samples, seed: req.seed });
  const indices = pool === null ? sample.indices : sample.indices.map((i) => pool[i] as number);
  const examples = takeExamples(data, indices);
  const configFile = path.join(modelDir, 'config.json');
  const positions = fs.existsSync(configFile) ? readConfigFile(configFile).maxPositionEmbeddings : req.maxLength;
  const tokenizer = loadTokenizer(modelDir);
  const { encoded, batches } = tokenizedBatches(tokenizer, examples, Math.min(req.maxLength, positions), req.batchSize);
  return {
    task: task.id,
    split,
    file: data.file,
    indices: [...indices],
    batches,
    tokens: encoded.reduce((n, e) => n + e.inputIds.length, 0),
  };
}
