/**
 * One declarative spec per GLUE task: where its files are in GLUE's original layout
 * (`<data>/<dir>/<file>`), which columns hold the text and the gold label, the labels in the order
 * HF `datasets` and run_glue.py give them (so class id k means what a fine-tuned HF head's logit k
 * means), and the metrics GLUE reports for it.
 */
import { UsageError } from '../errors.js';

/** The metrics GLUE reports, by the names HF `evaluate` gives them; src/eval/metrics.ts computes each. */
export type MetricKey =
  | 'accuracy'
  | 'f1'
  | 'mcc'
  | 'acc_and_f1'
  | 'pearson'
  | 'spearman'
  | 'pearson_and_spearman';

export type GlueTaskId =
  | 'cola'
  | 'sst2'
  | 'mrpc'
  | 'stsb'
  | 'qqp'
  | 'mnli-matched'
  | 'mnli-mismatched'
  | 'qnli'
  | 'rte'
  | 'wnli';

/** GLUE's test sets have no public labels, so only these two can be scored. */
export type GlueSplit = 'train' | 'dev';

/** A class: the name HF gives it and the value GLUE's file writes for it. */
interface GlueClass {
  name: string;
  value: string;
}

interface GlueTaskBase {
  id: GlueTaskId;
  /** The name GLUE's leaderboard uses. */
  name: string;
  dir: string;
  files: Readonly<Record<GlueSplit, string>>;
  /** Column names for files that have no header row (CoLA); null where the first row names them. */
  headerlessColumns: readonly string[] | null;
  /** One column for single-sentence tasks, two for sentence pairs. */
  textColumns: readonly [string] | readonly [string, string];
  labelColumn: string;
  metrics: readonly MetricKey[];
  /** Rows of the dev split as GLUE distributes it: what regress --margin says more rows could come from. */
  devExamples: number;
}

export interface ClassificationTask extends GlueTaskBase {
  kind: 'classification';
  /** Index = class id. */
  classes: readonly GlueClass[];
}

export interface RegressionTask extends GlueTaskBase {
  kind: 'regression';
  /** Inclusive bounds of the gold score. */
  range: readonly [number, number];
}

export type GlueTask = ClassificationTask | RegressionTask;

const TRAIN_DEV = { train: 'train.tsv', dev: 'dev.tsv' } as const;
const ENTAILMENT_NOT: readonly GlueClass[] = [
  { name: 'entailment', value: 'entailment' },
  { name: 'not_entailment', value: 'not_entailment' },
];
const MNLI_CLASSES: readonly GlueClass[] = [
  { name: 'entailment', value: 'entailment' },
  { name: 'neutral', value: 'neutral' },
  { name: 'contradiction', value: 'contradiction' },
];
const MNLI_COLUMNS = {
  headerlessColumns: null,
  textColumns: ['sentence1', 'sentence2'],
  labelColumn: 'gold_label',
} as const;

export const GLUE_TASKS: readonly GlueTask[] = [
  {
    id: 'cola',
    name: 'CoLA',
    kind: 'classification',
    dir: 'CoLA',
    files: TRAIN_DEV,
    // Source code, label, the author's original mark ('*', '?' or empty), sentence.
    headerlessColumns: ['source', 'label', 'original_mark', 'sentence'],
    textColumns: ['sentence'],
    labelColumn: 'label',
    classes: [
      { name: 'unacceptable', value: '0' },
      { name: 'acceptable', value: '1' },
    ],
    metrics: ['mcc'],
    devExamples: 1043,
  },
  {
    id: 'sst2',
    name: 'SST-2',
    kind: 'classification',
    dir: 'SST-2',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['sentence'],
    labelColumn: 'label',
    classes: [
      { name: 'negative', value: '0' },
      { name: 'positive', value: '1' },
    ],
    metrics: ['accuracy'],
    devExamples: 872,
  },
  {
    id: 'mrpc',
    name: 'MRPC',
    kind: 'classification',
    dir: 'MRPC',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['#1 String', '#2 String'],
    labelColumn: 'Quality',
    classes: [
      { name: 'not_equivalent', value: '0' },
      { name: 'equivalent', value: '1' },
    ],
    metrics: ['accuracy', 'f1', 'acc_and_f1'],
    devExamples: 408,
  },
  {
    id: 'stsb',
    name: 'STS-B',
    kind: 'regression',
    dir: 'STS-B',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['sentence1', 'sentence2'],
    labelColumn: 'score',
    range: [0, 5],
    metrics: ['pearson', 'spearman', 'pearson_and_spearman'],
    devExamples: 1500,
  },
  {
    id: 'qqp',
    name: 'QQP',
    kind: 'classification',
    dir: 'QQP',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['question1', 'question2'],
    labelColumn: 'is_duplicate',
    classes: [
      { name: 'not_duplicate', value: '0' },
      { name: 'duplicate', value: '1' },
    ],
    metrics: ['accuracy', 'f1', 'acc_and_f1'],
    devExamples: 40430,
  },
  {
    id: 'mnli-matched',
    name: 'MNLI-m',
    kind: 'classification',
    dir: 'MNLI',
    files: { train: 'train.tsv', dev: 'dev_matched.tsv' },
    ...MNLI_COLUMNS,
    classes: MNLI_CLASSES,
    metrics: ['accuracy'],
    devExamples: 9815,
  },
  {
    id: 'mnli-mismatched',
    name: 'MNLI-mm',
    kind: 'classification',
    dir: 'MNLI',
    files: { train: 'train.tsv', dev: 'dev_mismatched.tsv' },
    ...MNLI_COLUMNS,
    classes: MNLI_CLASSES,
    metrics: ['accuracy'],
    devExamples: 9832,
  },
  {
    id: 'qnli',
    name: 'QNLI',
    kind: 'classification',
    dir: 'QNLI',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['question', 'sentence'],
    labelColumn: 'label',
    classes: ENTAILMENT_NOT,
    metrics: ['accuracy'],
    devExamples: 5463,
  },
  {
    id: 'rte',
    name: 'RTE',
    kind: 'classification',
    dir: 'RTE',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['sentence1', 'sentence2'],
    labelColumn: 'label',
    classes: ENTAILMENT_NOT,
    metrics: ['accuracy'],
    devExamples: 277,
  },
  {
    id: 'wnli',
    name: 'WNLI',
    kind: 'classification',
    dir: 'WNLI',
    files: TRAIN_DEV,
    headerlessColumns: null,
    textColumns: ['sentence1', 'sentence2'],
    labelColumn: 'label',
    // WNLI's file writes 1 for entailment, so here (unlike QNLI/RTE) entailment is class 1.
    classes: [
      { name: 'not_entailment', value: '0' },
      { name: 'entailment', value: '1' },
    ],
    metrics: ['accuracy'],
    devExamples: 71,
  },
];

function normalizeTaskName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** Looks a task up by id or GLUE name, ignoring case, `-` and `_` (`SST-2`, `sst2`, `mnli_matched`, `mnli-m`). */
export function findGlueTask(name: string): GlueTask {
  const wanted = normalizeTaskName(name);
  const task = GLUE_TASKS.find((t) => normalizeTaskName(t.id) === wanted || normalizeTaskName(t.name) === wanted);
  if (task) return task;
  const known = GLUE_TASKS.map((t) => t.id).join(', ');
  if (wanted === 'mnli') {
    throw new UsageError(`MNLI has two dev sets: name mnli-m (matched) or mnli-mm (mismatched); tasks: ${known}`);
  }
  throw new UsageError(`unknown GLUE task '${name}'; tasks: ${known}`);
}
