import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GlueTaskId } from '../../../src/glue/tasks.js';
import { glueAverage, officialMetrics, paperStyleAverage, taskScore } from '../../../src/report/suite/average.js';

/** BERT-base's GLUE test row in Devlin et al. 2019, Table 1: one printed figure per task, "Average" 79.6. */
const BERT_BASE_TEST_ROW: ReadonlyArray<[GlueTaskId, string, number]> = [
  ['mnli-matched', 'accuracy', 84.6], ['mnli-mismatched', 'accuracy', 83.4], ['qqp', 'f1', 71.2], ['qnli', 'accuracy', 90.5],
  ['sst2', 'accuracy', 93.5], ['cola', 'mcc', 52.1], ['stsb', 'spearman', 85.8], ['mrpc', 'f1', 88.9], ['rte', 'accuracy', 66.4],
];

describe('the GLUE averages of a suite', () => {
  it('the paper-style average of BERT-base\'s test row is the paper\'s printed 79.6', () => {
    const tasks = BERT_BASE_TEST_ROW.map(([task, key, value]) => ({ task, metrics: [{ key, value }] }));
    assert.equal(paperStyleAverage(tasks)?.toFixed(1), '79.6');
    // WNLI is left out, as the paper does ("we exclude the problematic WNLI set").
    assert.equal(paperStyleAverage([...tasks, { task: 'wnli', metrics: [{ key: 'accuracy', value: 65.1 }] }])?.toFixed(1), '79.6');
  });

  it('the paper-style average takes F1 for MRPC and QQP and Spearman for STS-B, not their other metric', () => {
    const tasks = [
      { task: 'mrpc' as const, metrics: [{ key: 'accuracy', value: 0.5 }, { key: 'f1', value: 0.9 }] },
      { task: 'stsb' as const, metrics: [{ key: 'pearson', value: 0.2 }, { key: 'spearman', value: 0.7 }] },
    ];
    assert.equal(paperStyleAverage(tasks), (0.9 + 0.7) / 2);
  });

  it('a task\'s score is the mean of its official metrics; the combined GLUE metrics are not counted twice', () => {
    assert.deepEqual(officialMetrics('mrpc'), ['accuracy', 'f1']);
    assert.deepEqual(officialMetrics('stsb'), ['pearson', 'spearman']);
    assert.deepEqual(officialMetrics('cola'), ['mcc']);
    assert.equal(taskScore('mrpc', [{ key: 'accuracy', value: 0.8 }, { key: 'f1', value: 0.86 }, { key: 'acc_and_f1', value: 0.1 }]), (0.8 + 0.86) / 2);
    assert.equal(taskScore('stsb', [{ key: 'pearson', value: 0.84 }]), undefined);
    assert.equal(taskScore('cola', [{ key: 'mcc', value: Number.NaN }]), undefined);
  });

  it('the GLUE average counts MNLI-m and MNLI-mm as one task, their mean, and WNLI like any task', () => {
    const scores = [
      { task: 'mnli-matched' as const, score: 0.8 }, { task: 'mnli-mismatched' as const, score: 0.7 },
      { task: 'sst2' as const, score: 0.9 }, { task: 'wnli' as const, score: 0.5 },
    ];
    assert.ok(Math.abs((glueAverage(scores) ?? NaN) - (0.75 + 0.9 + 0.5) / 3) < 1e-12);
    assert.equal(glueAverage([{ task: 'mnli-mismatched', score: 0.7 }]), 0.7);
    assert.equal(glueAverage([]), undefined);
  });
});
