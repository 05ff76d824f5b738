import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../checkpoint/config.js';
import { DataError } from '../errors.js';
import { EVAL_MAX_LENGTH } from '../eval/evaluate.js';
import { mapLabels } from '../eval/labels.js';
import { glueSplitPath, readGlueSplit } from '../glue/read-split.js';
import { selectSubset, takeExamples } from '../glue/subset.js';
import { findGlueTask, type GlueTask, type MetricKey } from '../glue/tasks.js';
import { CONFIG_FILE } from '../model-folder/layout.js';
import { tokenizedBatches, type LengthBatch } from '../tokenizers/batching.js';
import type { TokenBatch } from '../tokenizers/encode.js';
import { loadTokenizer } from '../tokenizers/load.js';

export interface SampleRequest {
  readonly task: string;
  readonly dataDir: string;
  /** Examples drawn (seeded, stratified by label) from the train split. */
  readonly samples: number;
  readonly seed: number;
}

/** Tokenized train examples the search scores every candidate on, and the gold labels to score them against. */
export interface TrainSample {
  readonly task: GlueTask;
  /** The task's first metric: the one the budget is on. */
  readonly metricKey: MetricKey;
  readonly file: string;
  /** Row indices into the train split, ascending. */
  readonly indices: readonly number[];
  readonly gold: Float64Array;
  readonly order: readonly LengthBatch[];
  readonly batches: readonly TokenBatch[];
  /** Logit k of the model is the task's class taskClassOf[k]; null for a regression head. */
  readonly taskClassOf: readonly number[] | null;
  readonly logitWidth: number;
}

const BATCH_SIZE = 32;

/**
 * Drawn from train only: the search must not see the dev rows its result is reported on, so a
 * data folder without the task's train split is refused rather than falling back to dev.
 */
export function trainSample(modelDir: string, req: SampleRequest): TrainSample {
  const task = findGlueTask(req.task);
  const file = glueSplitPath(task, 'train', req.dataDir);
  if (!fs.existsSync(file)) {
    throw new DataError(file, `the accuracy budget is checked on ${task.name}'s train split, which is missing; pass --data DIR with ${task.dir}/train.tsv`);
  }
  const data = readGlueSplit(task, 'train', req.dataDir);
  const subset = selectSubset(data, { kind: 'sample', size: req.samples, seed: req.seed });
  const examples = takeExamples(data, subset.indices);
  const configFile = path.join(modelDir, CONFIG_FILE);
  const config = readConfigFile(configFile);
  const taskClassOf = task.kind === 'classification' ? mapLabels(config.id2label, task, configFile).taskClassOf : null;
  const tokenizer = loadTokenizer(modelDir);
  const { order, batches } = tokenizedBatches(tokenizer, examples, Math.min(EVAL_MAX_LENGTH, config.maxPositionEmbeddings), BATCH_SIZE);
  return {
    task, metricKey: task.metrics[0] ?? 'accuracy', file: data.file, indices: [...subset.indices], gold: Float64Array.from(examples.labels),
    order, batches, taskClassOf, logitWidth: config.numLabels,
  };
}
