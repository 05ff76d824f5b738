import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../src/errors.js';
import { readGlueSplit, type GlueSplitData } from '../../src/glue/read-split.js';
import { findGlueTask, type GlueSplit } from '../../src/glue/tasks.js';
import { BUNDLED_GLUE_DIR as GLUE_DIR } from '../../src/paths.js';
import { GLUE_TRAIN_FIXTURES } from '../helpers/paths.js';

/** Examples per class name, in class-id order. */
function classCounts(data: GlueSplitData): Record<string, number> {
  assert.equal(data.kind, 'classification');
  if (data.kind !== 'classification') return {};
  const counts = Object.fromEntries(data.task.classes.map((c) => [c.name, 0]));
  for (const id of data.labels) counts[data.task.classes[id]!.name]! += 1;
  return counts;
}

// Row counts are `wc -l` of data/glue/<dir>/<file> (train splits other than SST-2's: test/fixtures/data/glue),
// less the header line; CoLA has no header and its dev.tsv no final newline, so `wc -l` shows 1042 for
// its 1043 rows. Class counts are those in data/PROVENANCE.md. QQP and MNLI are not bundled (their dev
// sets are too large); the generated files below check their layouts.
const SPLITS: { task: string; split: GlueSplit; rows: number; classes?: Record<string, number> }[] = [
  { task: 'cola', split: 'dev', rows: 1043, classes: { unacceptable: 322, acceptable: 721 } }, // wc -l 1042
  { task: 'sst2', split: 'dev', rows: 872, classes: { negative: 428, positive: 444 } }, // wc -l 873
  { task: 'mrpc', split: 'dev', rows: 408, classes: { not_equivalent: 129, equivalent: 279 } }, // wc -l 409
  { task: 'stsb', split: 'dev', rows: 1500 }, // wc -l 1501
  { task: 'qnli', split: 'dev', rows: 5463, classes: { entailment: 2702, not_entailment: 2761 } }, // wc -l 5464
  { task: 'rte', split: 'dev', rows: 277, classes: { entailment: 146, not_entailment: 131 } }, // wc -l 278
  { task: 'wnli', split: 'dev', rows: 71, classes: { not_entailment: 40, entailment: 31 } }, // wc -l 72
  { task: 'cola', split: 'train', rows: 8551, classes: { unacceptable: 2528, acceptable: 6023 } }, // wc -l 8551
  { task: 'sst2', split: 'train', rows: 67349, classes: { negative: 29780, positive: 37569 } }, // wc -l 67350
  { task: 'mrpc', split: 'train', rows: 3668, classes: { not_equivalent: 1194, equivalent: 2474 } }, // wc -l 3669
  { task: 'stsb', split: 'train', rows: 5749 }, // wc -l 5750
  { task: 'rte', split: 'train', rows: 2490, classes: { entailment: 1249, not_entailment: 1241 } }, // wc -l 2491
];

for (const expected of SPLITS) {
  const task = findGlueTask(expected.task);
  const dir = expected.split === 'train' && task.dir !== 'SST-2' ? GLUE_TRAIN_FIXTURES : GLUE_DIR;
  test(`${task.name} ${expected.split} reads ${expected.rows} rows with its label set`, () => {
    const data = readGlueSplit(task, expected.split, dir);
    assert.equal(data.labels.length, expected.rows);
    assert.equal(data.textA.length, expected.rows);
    assert.equal(data.textB?.length ?? expected.rows, expected.rows);
    assert.equal(data.textB === null, task.textColumns.length === 1);
    if (data.kind === 'regression') {
      assert.ok(data.labels.every((s) => s >= 0 && s <= 5));
    } else if (expected.classes) {
      assert.deepEqual(classCounts(data), expected.classes);
    } else {
      assert.ok(Object.values(classCounts(data)).every((n) => n > 0), 'every class occurs');
    }
  });
}

test('texts are read verbatim', () => {
  const sst2 = readGlueSplit(findGlueTask('sst2'), 'dev', GLUE_DIR);
  assert.equal(sst2.textA[0], "it 's a charming and often affecting journey . ");
  const mrpc = readGlueSplit(findGlueTask('mrpc'), 'dev', GLUE_DIR);
  assert.equal(mrpc.textB?.[0], '"The foodservice pie business does not fit our long-term growth strategy.');
  const stsb = readGlueSplit(findGlueTask('stsb'), 'dev', GLUE_DIR);
  assert.deepEqual([stsb.textA[0], stsb.labels[0], stsb.labels[1]], ['A man with a hard hat is dancing.', 5, 4.75]);
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albench-glue-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeTask(dir: string, file: string, content: string): void {
  fs.mkdirSync(path.join(tmp, dir), { recursive: true });
  fs.writeFileSync(path.join(tmp, dir, file), content);
}

test("QQP's original layout: id qid1 qid2 question1 question2 is_duplicate", () => {
  writeTask(
    'QQP',
    'dev.tsv',
    'id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\r\n' +
      '201359\t303345\t303346\tWhy are "AI" people so quiet?\tWhy is AI quiet?\t0\r\n' +
      '263843\t69383\t380476\tHow do I lose weight?\tHow can I lose weight fast?\t1\r\n',
  );
  const qqp = readGlueSplit(findGlueTask('qqp'), 'dev', tmp);
  assert.deepEqual(qqp.textA, ['Why are "AI" people so quiet?', 'How do I lose weight?']);
  assert.deepEqual(qqp.textB, ['Why is AI quiet?', 'How can I lose weight fast?']);
  assert.deepEqual(Array.from(qqp.labels), [0, 1]);
});

test("MNLI's original layout: dev_matched/dev_mismatched with sentence1, sentence2, gold_label", () => {
  const header = [
    'index', 'promptID', 'pairID', 'genre', 'sentence1_binary_parse', 'sentence2_binary_parse',
    'sentence1_parse', 'sentence2_parse', 'sentence1', 'sentence2',
    'label1', 'label2', 'label3', 'label4', 'label5', 'gold_label',
  ];
  const row = (i: number, gold: string): string =>
    [i, 1, `${i}n`, 'fiction', '( a )', '( b )', '(ROOT a)', '(ROOT b)', `premise "${i}"`, `hypothesis ${i}`]
      .concat(Array<string>(6).fill(gold))
      .join('\t');
  const lines = [header.join('\t'), row(0, 'neutral'), row(1, 'contradiction'), row(2, 'entailment')];
  writeTask('MNLI', 'dev_matched.tsv', lines.join('\n') + '\n');
  writeTask('MNLI', 'dev_mismatched.tsv', lines.slice(0, 2).join('\n') + '\n');
  const matched = readGlueSplit(findGlueTask('mnli-m'), 'dev', tmp);
  assert.deepEqual(matched.textA, ['premise "0"', 'premise "1"', 'premise "2"']);
  assert.deepEqual(Array.from(matched.labels), [1, 2, 0]);
  assert.equal(readGlueSplit(findGlueTask('mnli-mm'), 'dev', tmp).labels.length, 1);
});

test('a missing task file is a DataError naming the expected path and --data', () => {
  const expectedPath = path.join(tmp, 'QNLI', 'dev.tsv');
  assert.throws(
    () => readGlueSplit(findGlueTask('qnli'), 'dev', tmp),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === expectedPath &&
      e.message.includes(expectedPath) &&
      e.message.includes('--data DIR'),
  );
});

test('a malformed line names the file and its line number', () => {
  writeTask('RTE', 'dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n1\ta b\tnot_entailment\n');
  const file = path.join(tmp, 'RTE', 'dev.tsv');
  assert.throws(
    () => readGlueSplit(findGlueTask('rte'), 'dev', tmp),
    (e: unknown) => e instanceof DataError && e.message.startsWith(`${file}: line 3:`),
  );
});

test('an unknown label, a bad score or a missing column names the file and what is wrong', () => {
  writeTask('WNLI', 'dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\ta\tb\t1\n1\ta\tb\tentailment\n');
  assert.throws(
    () => readGlueSplit(findGlueTask('wnli'), 'dev', tmp),
    /WNLI.dev\.tsv: line 3: label 'entailment' is not one of '0', '1'/,
  );
  writeTask('STS-B', 'dev.tsv', 'sentence1\tsentence2\tscore\na\tb\t3.2\na\tb\t5.5\n');
  assert.throws(() => readGlueSplit(findGlueTask('stsb'), 'dev', tmp), /line 3: score '5.5' is not a number in 0..5/);
  writeTask('SST-2', 'dev.tsv', 'text\tlabel\nfine\t1\n');
  assert.throws(
    () => readGlueSplit(findGlueTask('sst2'), 'dev', tmp),
    /has no column 'sentence'; its columns are text, label/,
  );
});

test('a header-only or empty split is a DataError naming the file, so no metric is computed over nothing', () => {
  writeTask('RTE', 'dev.tsv', 'index\tsentence1\tsentence2\tlabel\n');
  const file = path.join(tmp, 'RTE', 'dev.tsv');
  assert.throws(
    () => readGlueSplit(findGlueTask('rte'), 'dev', tmp),
    (e: unknown) => e instanceof DataError && e.file === file && e.message === `${file}: RTE dev file has no examples (only the header row); a score needs at least one`,
  );
  // CoLA has no header row: a file of blank lines has no examples either.
  writeTask('CoLA', 'dev.tsv', '\n\n');
  assert.throws(() => readGlueSplit(findGlueTask('cola'), 'dev', tmp), /CoLA.dev\.tsv: CoLA dev file has no examples; a score needs at least one/);
});
