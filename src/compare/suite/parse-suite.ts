import fs from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { UsageError } from '../../errors.js';
import { findGlueTask, type GlueTask } from '../../glue/tasks.js';
import { VARIANT_NAMES, type SubsetSetting, type VariantName } from '../../report/model/types.js';
import { FAMILY_NAME, type SuiteFamilySpec, type SuiteSpec, type SuiteTaskSpec } from './suite-spec.js';

/**
 * Suite files, YAML or JSON (JSON is read as the YAML it is), checked field by field: every problem
 * is reported at once, each naming its line, so one edit fixes them all.
 *
 *   name: glue-base                 # optional: the report folder's name
 *   variants: [fp32, int8-dynamic]  # optional: else compare's --variants
 *   tasks:                          # GLUE tasks and the dev rows each is scored on
 *     sst2: all
 *     mrpc: { limit: 200 }
 *     stsb: { sample: 500, seed: 0 }
 *   families:                       # per family, one checkpoint per task
 *     bert: { sst2: textattack/bert-base-uncased-SST-2, mrpc: ..., stsb: ... }
 */
class Problems {
  private readonly found: Array<{ readonly line: number; readonly problem: string }> = [];
  constructor(private readonly file: string, private readonly lines: LineCounter) {}

  get count(): number {
    return this.found.length;
  }

  at(line: number, problem: string): void {
    this.found.push({ line, problem });
  }

  add(node: Node | Pair | null | undefined, problem: string): void {
    const target = node !== null && node !== undefined && 'key' in node ? (node.key as Node | null) : node;
    const offset = target?.range?.[0];
    this.at(offset === undefined ? 1 : this.lines.linePos(offset).line, problem);
  }

  /** Every problem found, in line order, each as `<file>:<line>: <problem>`. */
  error(): UsageError {
    const sorted = [...this.found].sort((a, b) => a.line - b.line).map((p) => `${this.file}:${p.line}: ${p.problem}`);
    return new UsageError(`suite file ${this.file}: ${sorted.length} problem(s):\n  ${sorted.join('\n  ')}`);
  }
}

const TOP_KEYS = ['name', 'variants', 'tasks', 'families'];

function text(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function pairsOf(node: unknown, what: string, at: Node | Pair | undefined, problems: Problems): Pair[] {
  if (isMap(node)) return node.items as Pair[];
  problems.add((node as Node | undefined) ?? at, `${what} must be a mapping (key: value lines)`);
  return [];
}

function parseVariants(node: unknown, problems: Problems): VariantName[] | undefined {
  const items = isSeq(node) ? node.items : text(node)?.split(',').map((s) => s.trim());
  if (items === undefined) {
    problems.add(node as Node, 'variants must be a list of variant names');
    return undefined;
  }
  const variants: VariantName[] = [];
  for (const item of items) {
    const name = typeof item === 'string' ? item : text(item);
    if (name !== undefined && (VARIANT_NAMES as readonly string[]).includes(name)) variants.push(name as VariantName);
    else problems.add((typeof item === 'string' ? node : item) as Node, `unknown variant "${name ?? ''}"; choose from ${VARIANT_NAMES.join(', ')}`);
  }
  if (variants.length === 0 && items.length === 0) problems.add(node as Node, 'variants: give at least one');
  return variants;
}

const positiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;

function parseSubset(node: unknown, task: string, problems: Problems): SubsetSetting {
  if (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === 'all'))) return { kind: 'all' };
  const fields = new Map(isMap(node) ? (node.items as Pair[]).map((p) => [text(p.key) ?? '', isScalar(p.value) ? p.value.value : undefined]) : []);
  const keys = [...fields.keys()].sort().join(',');
  const limit = fields.get('limit');
  const size = fields.get('sample');
  const seed = fields.get('seed') ?? 0;
  if (keys === 'limit' && positiveInteger(limit)) return { kind: 'limit', limit };
  if ((keys === 'sample' || keys === 'sample,seed') && positiveInteger(size) && typeof seed === 'number' && Number.isSafeInteger(seed)) {
    return { kind: 'sample', size, seed };
  }
  problems.add(node as Node, `task ${task}: give all, { limit: N } or { sample: N, seed: S } (N a whole number, 1 or more)`);
  return { kind: 'all' };
}

function parseTasks(node: unknown, at: Pair | undefined, problems: Problems): SuiteTaskSpec[] {
  const tasks: SuiteTaskSpec[] = [];
  const entries: Array<[Node, unknown]> = isSeq(node) ? node.items.map((item) => [item as Node, undefined]) : pairsOf(node, 'tasks', at, problems)
    .map((p) => [p.key as Node, p.value]);
  for (const [key, value] of entries) {
    const task = taskNamed(key, problems);
    if (task === undefined) continue;
    if (tasks.some((t) => t.task.id === task.id)) problems.add(key, `task ${task.id} is named twice`);
    else tasks.push({ task, subset: parseSubset(value, task.id, problems) });
  }
  if (tasks.length === 0 && problems.count === 0) problems.add((node as Node | undefined) ?? at, 'tasks: name at least one GLUE task');
  return tasks;
}

function taskNamed(key: unknown, problems: Problems): GlueTask | undefined {
  const name = text(key);
  try {
    if (name === undefined) throw new UsageError('a task must be named by a GLUE task name');
    return findGlueTask(name);
  } catch (e) {
    problems.add(key as Node, e instanceof Error ? e.message : String(e));
    return undefined;
  }
}

function parseFamily(pair: Pair, tasks: readonly SuiteTaskSpec[], problems: Problems): SuiteFamilySpec | undefined {
  const name = text(pair.key) ?? '';
  if (!FAMILY_NAME.test(name)) problems.add(pair, `family "${name}": use letters, digits, ".", "_" or "-", starting with a letter or digit`);
  const models = new Map<string, string>();
  for (const p of pairsOf(pair.value, `family ${name}`, pair, problems)) {
    const task = taskNamed(p.key, problems);
    const model = text(p.value);
    if (task === undefined) continue;
    if (!tasks.some((t) => t.task.id === task.id)) problems.add(p, `family ${name}: task ${task.id} is not in the suite's tasks`);
    else if (model === undefined || model === '') problems.add(p, `family ${name}, task ${task.id}: give a checkpoint (bundled name, folder or hub id)`);
    else if (models.has(task.id)) problems.add(p, `family ${name}: task ${task.id} is named twice`);
    else models.set(task.id, model);
  }
  const missing = tasks.filter((t) => !models.has(t.task.id)).map((t) => t.task.id);
  if (missing.length > 0) problems.add(pair, `family ${name}: no checkpoint for ${missing.join(', ')}; every family names one per suite task`);
  return missing.length > 0 ? undefined : { name, models: tasks.map((t) => models.get(t.task.id) ?? '') };
}

/** Parses suite text; `file` names it in the errors. */
export function parseSuiteText(source: string, file: string): SuiteSpec {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true });
  const problems = new Problems(file, lines);
  for (const e of doc.errors) problems.at(e.linePos?.[0].line ?? 1, e.message.split('\n')[0] ?? e.code);
  if (problems.count > 0) throw problems.error();
  const top = new Map(pairsOf(doc.contents, 'a suite file', undefined, problems).map((p) => [text(p.key) ?? '', p]));
  for (const [key, pair] of top) if (!TOP_KEYS.includes(key)) problems.add(pair, `unknown field "${key}"; a suite has ${TOP_KEYS.join(', ')}`);
  for (const key of ['tasks', 'families']) if (!top.has(key) && isMap(doc.contents)) problems.add(doc.contents, `missing field "${key}"`);
  const name = top.get('name');
  if (name !== undefined && text(name.value) === undefined) problems.add(name, 'name must be text');
  const variants = top.has('variants') ? parseVariants(top.get('variants')?.value, problems) : undefined;
  const tasks = top.has('tasks') ? parseTasks(top.get('tasks')?.value, top.get('tasks'), problems) : [];
  const familyPairs = top.has('families') ? pairsOf(top.get('families')?.value, 'families', top.get('families'), problems) : [];
  const families = familyPairs.flatMap((p) => parseFamily(p, tasks, problems) ?? []);
  if (familyPairs.length === 0 && top.has('families')) problems.add(top.get('families'), 'families: name at least one model family');
  if (problems.count > 0) throw problems.error();
  const named = name === undefined ? undefined : text(name.value);
  return { ...(named === undefined ? {} : { name: named }), ...(variants === undefined ? {} : { variants }), tasks, families };
}

/** Reads and parses a suite file. */
export function readSuiteFile(file: string): SuiteSpec {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new UsageError(`--suite ${file}: cannot read it (${reason})`);
  }
  return parseSuiteText(source, file);
}

/**
 * The command-line form: `--task sst2,mrpc --family bert=<sst2 ckpt>,<mrpc ckpt> --family albert=...`,
 * each family's checkpoints in the order of --task; every task scored on the same subset.
 */
export function suiteFromFlags(taskList: string, familyFlags: readonly string[], subset: SubsetSetting): SuiteSpec {
  const tasks = taskList.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => ({ task: findGlueTask(t), subset }));
  const repeated = tasks.find((t, i) => tasks.findIndex((u) => u.task.id === t.task.id) !== i);
  if (repeated !== undefined) throw new UsageError(`--task: ${repeated.task.id} is named twice`);
  const families = familyFlags.map((flag) => {
    const eq = flag.indexOf('=');
    const name = flag.slice(0, eq);
    const models = flag.slice(eq + 1).split(',').map((m) => m.trim());
    if (eq < 1 || !FAMILY_NAME.test(name)) throw new UsageError(`--family ${flag}: write <name>=<checkpoint per task>, e.g. bert=bert`);
    if (models.length !== tasks.length || models.some((m) => m === '')) {
      throw new UsageError(`--family ${flag}: give ${tasks.length} checkpoint(s), one per --task (${tasks.map((t) => t.task.id).join(',')}), comma-separated`);
    }
    return { name, models };
  });
  const twice = families.find((f, i) => families.findIndex((g) => g.name === f.name) !== i);
  if (twice !== undefined) throw new UsageError(`--family: ${twice.name} is named twice`);
  return { tasks, families };
}
