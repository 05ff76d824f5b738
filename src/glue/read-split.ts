/** Turns one GLUE task file into texts and gold labels, checked against the task's spec. */
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { readTsv, type TsvTable } from './read-tsv.js';
import type { ClassificationTask, GlueSplit, GlueTask, RegressionTask } from './tasks.js';

interface GlueSplitBase {
  task: GlueTask;
  split: GlueSplit;
  file: string;
  /** The first (or only) sentence of each example. */
  textA: readonly string[];
  /** The second sentence of each example; null for single-sentence tasks. */
  textB: readonly string[] | null;
}

export type GlueSplitData =
  | (GlueSplitBase & { kind: 'classification'; task: ClassificationTask; labels: Int32Array })
  | (GlueSplitBase & { kind: 'regression'; task: RegressionTask; labels: Float64Array });

/** Where GLUE's layout puts a task's split under `dataDir`. */
export function glueSplitPath(task: GlueTask, split: GlueSplit, dataDir: string): string {
  return path.join(dataDir, task.dir, task.files[split]);
}

function columnIndex(table: TsvTable, column: string): number {
  const index = table.columns.indexOf(column);
  if (index < 0) {
    throw new DataError(table.file, `has no column '${column}'; its columns are ${table.columns.join(', ')}`);
  }
  return index;
}

function classIds(task: ClassificationTask, table: TsvTable, column: number): Int32Array {
  const ids = new Int32Array(table.rows.length);
  table.rows.forEach((row, i) => {
    const value = row[column] as string;
    const id = task.classes.findIndex((c) => c.value === value);
    if (id < 0) {
      const allowed = task.classes.map((c) => `'${c.value}'`).join(', ');
      throw new DataError(table.file, `line ${table.firstRowLine + i}: label '${value}' is not one of ${allowed}`);
    }
    ids[i] = id;
  });
  return ids;
}

function scores(task: RegressionTask, table: TsvTable, column: number): Float64Array {
  const [min, max] = task.range;
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((row, i) => {
    const value = row[column] as string;
    const score = value.trim() === '' ? Number.NaN : Number(value);
    if (!(score >= min && score <= max)) {
      const line = table.firstRowLine + i;
      throw new DataError(table.file, `line ${line}: score '${value}' is not a number in ${min}..${max}`);
    }
    out[i] = score;
  });
  return out;
}

/**
 * Reads `split` of `task` from GLUE's original layout under `dataDir`. Texts are kept verbatim
 * (SST-2's trailing spaces included), as HF `datasets` keeps them.
 */
export function readGlueSplit(task: GlueTask, split: GlueSplit, dataDir: string): GlueSplitData {
  const file = glueSplitPath(task, split, dataDir);
  if (!fs.existsSync(file)) {
    throw new DataError(
      file,
      `${task.name} ${split} file not found (GLUE's layout: <data>/${task.dir}/${task.files[split]}); ` +
        'pass --data DIR to read GLUE from another folder',
    );
  }
  const table = readTsv(file, task.headerlessColumns);
  // A metric over no examples is NaN; refuse here so eval and compare never report one.
  if (table.rows.length === 0) {
    const only = task.headerlessColumns ? '' : ' (only the header row)';
    throw new DataError(file, `${task.name} ${split} file has no examples${only}; a score needs at least one`);
  }
  const [columnA, columnB] = task.textColumns;
  const a = columnIndex(table, columnA);
  const b = columnB === undefined ? null : columnIndex(table, columnB);
  const label = columnIndex(table, task.labelColumn);
  const base = {
    split,
    file,
    textA: table.rows.map((row) => row[a] as string),
    textB: b === null ? null : table.rows.map((row) => row[b] as string),
  };
  return task.kind === 'classification'
    ? { ...base, kind: 'classification', task, labels: classIds(task, table, label) }
    : { ...base, kind: 'regression', task, labels: scores(task, table, label) };
}
