import { GLUE_TASKS, type GlueTaskId } from '../../glue/tasks.js';
import { COMBINED_SCORE_KEYS } from '../model/figures.js';

/**
 * The two GLUE averages of a suite report. Both are means over the suite's own tasks only, so a
 * three-task suite's average is not comparable with a nine-task leaderboard figure.
 */

/** NaN for an empty list: every caller checks for one first. */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;


/** A task's official metrics: what tasks.ts lists for it, less the combined ones (a task's score, the report's headline, is their mean already). */
export function officialMetrics(task: GlueTaskId): string[] {
  const spec = GLUE_TASKS.find((t) => t.id === task);
  return (spec?.metrics ?? []).filter((k) => !COMBINED_SCORE_KEYS.includes(k));
}

export interface ScoredMetric { readonly key: string; readonly value: number }

/** The mean of the task's official metrics (MRPC: (accuracy + F1) / 2); undefined when one is missing or undefined. */
export function taskScore(task: GlueTaskId, metrics: readonly ScoredMetric[]): number | undefined {
  const values = officialMetrics(task).map((key) => metrics.find((m) => m.key === key)?.value);
  if (values.length === 0 || values.some((v) => v === undefined || !Number.isFinite(v))) return undefined;
  return mean(values as number[]);
}

export const GLUE_AVERAGE_RULE = 'GLUE average: the mean, over this suite\'s tasks only, of each task\'s score; a task\'s score is the mean of its '
  + 'official metrics (CoLA MCC; SST-2, QNLI, RTE, WNLI accuracy; MRPC and QQP F1 and accuracy; STS-B Pearson and Spearman). MNLI-m and '
  + 'MNLI-mm count as one task, MNLI, scored as their mean (either alone counts as MNLI); WNLI counts like any other task when the suite has it.';

/** The score of each GLUE task in the suite, MNLI-m and MNLI-mm merged into one. */
function gluePerTask(scores: ReadonlyArray<{ readonly task: GlueTaskId; readonly score: number }>): number[] {
  const mnli = scores.filter((s) => s.task === 'mnli-matched' || s.task === 'mnli-mismatched').map((s) => s.score);
  const others = scores.filter((s) => s.task !== 'mnli-matched' && s.task !== 'mnli-mismatched').map((s) => s.score);
  return mnli.length === 0 ? others : [...others, mean(mnli)];
}

/** GLUE_AVERAGE_RULE applied; undefined for no tasks. */
export function glueAverage(scores: ReadonlyArray<{ readonly task: GlueTaskId; readonly score: number }>): number | undefined {
  const perTask = gluePerTask(scores);
  return perTask.length === 0 ? undefined : mean(perTask);
}

/**
 * The one figure per task that the BERT paper's GLUE table (Devlin et al. 2019, Table 1) prints
 * and averages: "F1 scores are reported for QQP and MRPC, Spearman correlations for STS-B, and
 * accuracy scores for the other tasks", MNLI-m and MNLI-mm as two entries, WNLI excluded. With
 * these, BERT-base's test row averages to the paper's 79.6.
 */
const PAPER_ENTRY_METRIC: Readonly<Record<GlueTaskId, string | null>> = {
  'mnli-matched': 'accuracy', 'mnli-mismatched': 'accuracy', qqp: 'f1', qnli: 'accuracy', sst2: 'accuracy',
  cola: 'mcc', stsb: 'spearman', mrpc: 'f1', rte: 'accuracy', wnli: null,
};

export const PAPER_AVERAGE_RULE = 'Paper-style average (as the BERT and ALBERT papers\' GLUE tables print it): the mean of one entry per task over '
  + 'this suite\'s tasks: F1 for QQP and MRPC, Spearman for STS-B, MCC for CoLA, accuracy for the others, MNLI-m and MNLI-mm as two separate '
  + 'entries, WNLI left out.';

/** PAPER_AVERAGE_RULE applied; undefined when no entry counts or one it needs is missing. */
export function paperStyleAverage(tasks: ReadonlyArray<{ readonly task: GlueTaskId; readonly metrics: readonly ScoredMetric[] }>): number | undefined {
  const entries = tasks.flatMap(({ task, metrics }) => {
    const key = PAPER_ENTRY_METRIC[task];
    return key === null ? [] : [metrics.find((m) => m.key === key)?.value];
  });
  if (entries.length === 0 || entries.some((v) => v === undefined || !Number.isFinite(v))) return undefined;
  return mean(entries as number[]);
}
