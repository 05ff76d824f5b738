import { ConfigError } from '../errors.js';
import type { ClassificationTask } from '../glue/tasks.js';

export interface LabelMapping {
  /** taskClassOf[k] = the task's class id that the model's logit k stands for. */
  readonly taskClassOf: readonly number[];
  /** 'names' when config.json's id2label was matched by name; 'assumed' when it only had LABEL_k placeholders. */
  readonly checked: 'names' | 'assumed';
}

const normalize = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '_');

/**
 * Maps the model's output order (config.json id2label) onto the task's class order. Named labels
 * must match the task's classes one to one; HF's LABEL_k placeholders are taken in task order.
 */
export function mapLabels(id2label: Readonly<Record<string, string>>, task: ClassificationTask, configFile: string): LabelMapping {
  const modelLabels = Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((k) => id2label[k] ?? '');
  if (modelLabels.length !== task.classes.length) {
    const taskLabels = `${task.classes.length} (${task.classes.map((c) => c.name).join(', ')})`;
    throw new ConfigError(configFile,
      `the model has ${modelLabels.length} labels (${modelLabels.join(', ')}) but ${task.name} has ${taskLabels}; is this a ${task.name} model?`);
  }
  if (modelLabels.every((l, k) => l === `LABEL_${k}` || l === String(k))) return { taskClassOf: modelLabels.map((_, k) => k), checked: 'assumed' };
  const taskClassOf = modelLabels.map((label) =>
    task.classes.findIndex((c) => normalize(c.name) === normalize(label) || normalize(c.value) === normalize(label)));
  if (taskClassOf.some((k) => k < 0) || new Set(taskClassOf).size !== taskClassOf.length) {
    const taskLabels = task.classes.map((c) => c.name).join(', ');
    throw new ConfigError(configFile,
      `id2label (${modelLabels.join(', ')}) does not match ${task.name}'s labels (${taskLabels}); `
      + 'fix id2label or evaluate on the task the model was trained for');
  }
  return { taskClassOf, checked: 'names' };
}

/** The index of the largest value (the first of equal ones): a classifier's predicted class from its logits. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
}
