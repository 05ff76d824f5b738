import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, test } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { readGlueSplit } from '../../src/glue/read-split.js';
import { findGlueTask, GLUE_TASKS } from '../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR } from '../../src/paths.js';

test('task names are accepted in any case, with or without - and _', () => {
  const spellings: Record<string, string[]> = {
    cola: ['cola', 'CoLA'],
    sst2: ['sst2', 'sst-2', 'SST-2', 'sst_2'],
    mrpc: ['MRPC'],
    stsb: ['stsb', 'sts-b', 'STS-B', 'sts_b'],
    qqp: ['qqp'],
    'mnli-matched': ['mnli-m', 'mnli_matched', 'MNLI-matched', 'mnlim'],
    'mnli-mismatched': ['mnli-mm', 'mnli_mismatched', 'MNLI-MM'],
    qnli: ['qnli'],
    rte: ['RTE'],
    wnli: ['wnli'],
  };
  for (const [id, names] of Object.entries(spellings)) {
    for (const name of names) assert.equal(findGlueTask(name).id, id, name);
  }
});

test('an unknown task, or MNLI without its dev set, is a usage error listing the tasks', () => {
  assert.throws(() => findGlueTask('squad'), (e: unknown) => e instanceof UsageError && /sst2/.test(e.message));
  assert.throws(() => findGlueTask('mnli'), (e: unknown) => e instanceof UsageError && /mnli-mm/.test(e.message));
});

test('label sets are in the canonical HF order', () => {
  const names = (id: string): string[] => {
    const task = findGlueTask(id);
    return task.kind === 'classification' ? task.classes.map((c) => c.name) : [];
  };
  assert.deepEqual(names('mnli-m'), ['entailment', 'neutral', 'contradiction']);
  assert.deepEqual(names('sst2'), ['negative', 'positive']);
  assert.deepEqual(names('cola'), ['unacceptable', 'acceptable']);
  assert.deepEqual(names('mrpc'), ['not_equivalent', 'equivalent']);
  assert.deepEqual(names('qqp'), ['not_duplicate', 'duplicate']);
  assert.deepEqual(names('qnli'), ['entailment', 'not_entailment']);
  assert.deepEqual(names('rte'), ['entailment', 'not_entailment']);
  assert.deepEqual(names('wnli'), ['not_entailment', 'entailment']);
  assert.equal(findGlueTask('stsb').kind, 'regression');
});

test('metric keys per task are those of the GLUE benchmark', () => {
  const metrics = Object.fromEntries(GLUE_TASKS.map((t) => [t.id, t.metrics]));
  assert.deepEqual(metrics, {
    cola: ['mcc'],
    sst2: ['accuracy'],
    mrpc: ['accuracy', 'f1', 'acc_and_f1'],
    stsb: ['pearson', 'spearman', 'pearson_and_spearman'],
    qqp: ['accuracy', 'f1', 'acc_and_f1'],
    'mnli-matched': ['accuracy'],
    'mnli-mismatched': ['accuracy'],
    qnli: ['accuracy'],
    rte: ['accuracy'],
    wnli: ['accuracy'],
  });
});

describe('devExamples', () => {
  it('is the row count of every bundled dev split', () => {
    for (const task of GLUE_TASKS) {
      if (!fs.existsSync(path.join(BUNDLED_GLUE_DIR, task.dir, task.files.dev))) continue;
      assert.equal(readGlueSplit(task, 'dev', BUNDLED_GLUE_DIR).labels.length, task.devExamples, task.id);
    }
  });
});
