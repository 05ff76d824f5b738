import path from 'node:path';
import { readConfigFile } from '../checkpoint/config.js';
import { EVAL_MAX_LENGTH } from '../eval/evaluate.js';
import { argmax, mapLabels } from '../eval/labels.js';
import { readGlueSplit } from '../glue/read-split.js';
import type { ClassificationTask, GlueTask } from '../glue/tasks.js';
import { CONFIG_FILE, transformersJsLoad } from '../model-folder/layout.js';
import type { FailedVariant, TransformersJsCheck } from '../report/model/types.js';
import type { Progress } from '../util/progress.js';
import type { StepCache } from '../cache/cache.js';
import { TRANSFORMERS_JS_PACKAGE, transformersJsKey } from './transformers-js-key.js';
import type { TimedVariant } from './variant-record.js';

/**
 * Whether transformers.js (@huggingface/transformers) loads a variant from its model folder and
 * predicts what albench predicted: the folder follows the hub's ONNX layout so that it should.
 * transformers.js is no runtime dependency of albench; without it the check says "not installed".
 */

/** What the check uses of transformers.js, typed here so the package stays optional. */
interface TransformersJs {
  readonly env: { allowRemoteModels: boolean; localModelPath: string };
  readonly AutoTokenizer: { from_pretrained(id: string): Promise<Tokenizer> };
  readonly AutoModelForSequenceClassification: { from_pretrained(id: string, options: Record<string, unknown>): Promise<Classifier> };
}

type Tokenizer = (text: string, options: Record<string, unknown>) => Promise<Record<string, unknown>>;
interface Classifier {
  (inputs: Record<string, unknown>): Promise<{ logits: { data: ArrayLike<number> } }>;
  dispose(): Promise<unknown>;
}

type ImportTransformersJs = () => Promise<TransformersJs>;

const PACKAGE = TRANSFORMERS_JS_PACKAGE;
// A variable specifier keeps tsc from requiring the package's types where it is not installed.
const importTransformersJs: ImportTransformersJs = async () => (await import(PACKAGE)) as TransformersJs;

/** The first evaluated rows it is checked on: enough to catch a graph it reads differently, cheap beside the evaluation. */
const TRANSFORMERS_JS_ROWS = 100;

function loadOptions(modelFile: string): { options: Record<string, unknown>; dtype?: string; file: string } {
  const file = path.basename(modelFile);
  const load = transformersJsLoad(modelFile);
  return 'model_file_name' in load ? { options: { ...load }, file } : { options: { ...load }, dtype: load.dtype, file };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

interface CheckInputs {
  readonly task: GlueTask;
  readonly dataDir: string;
  readonly rows?: number;
  readonly importer?: ImportTransformersJs;
}

/** What the check agrees with: classification only (argmax labels compare exactly), null for regression, where there is no label. */
function labelsToAgreeWith(v: TimedVariant, task: GlueTask): { readonly task: ClassificationTask; readonly labels: readonly number[] } | null {
  return task.kind === 'classification' && v.predictions.labels !== undefined ? { task, labels: v.predictions.labels } : null;
}

/** Null for regression tasks, where there is no label to agree on. */
export async function checkTransformersJs(v: TimedVariant, inputs: CheckInputs): Promise<TransformersJsCheck | null> {
  const agreeWith = labelsToAgreeWith(v, inputs.task);
  if (agreeWith === null) return null;
  const { task, labels: albenchLabels } = agreeWith;
  let tjs: TransformersJs;
  try {
    tjs = await (inputs.importer ?? importTransformersJs)();
  } catch (e) {
    return { state: 'not installed', error: `${PACKAGE} could not be imported: ${messageOf(e)}` };
  }
  const { options, dtype, file } = loadOptions(v.files.modelFile);
  const loaded = { ...(dtype === undefined ? {} : { dtype }), file };
  try {
    const data = readGlueSplit(task, 'dev', inputs.dataDir);
    const taskClassOf = mapLabels(readConfigFile(path.join(v.files.dir, CONFIG_FILE)).id2label, task, CONFIG_FILE).taskClassOf;
    tjs.env.allowRemoteModels = false;
    tjs.env.localModelPath = `${path.dirname(v.files.dir)}${path.sep}`;
    const id = path.basename(v.files.dir);
    const tokenizer = await tjs.AutoTokenizer.from_pretrained(id);
    const model = await tjs.AutoModelForSequenceClassification.from_pretrained(id, options);
    const rows = v.predictions.rows.slice(0, inputs.rows ?? TRANSFORMERS_JS_ROWS);
    let agreement = 0;
    try {
      for (const [i, row] of rows.entries()) {
        const pair = data.textB?.[row];
        const options = { ...(pair === undefined ? {} : { text_pair: pair }), truncation: true, max_length: EVAL_MAX_LENGTH };
        const encoded = await tokenizer(data.textA[row] ?? '', options);
        const { logits } = await model(encoded);
        if (taskClassOf[argmax(logits.data)] === albenchLabels[i]) agreement++;
      }
    } finally {
      await model.dispose();
    }
    return { state: agreement === rows.length ? 'agrees' : 'disagrees', ...loaded, agreement, examples: rows.length };
  } catch (e) {
    return { state: 'fails', ...loaded, error: messageOf(e) };
  }
}

/** What compare's phase adds to a check's inputs: the step cache and the hash of the dev split the rows come from. */
interface CachedCheckInputs extends CheckInputs {
  readonly cache: StepCache;
  readonly dataHash: string;
}

const STEP = 'transformers-js';

/**
 * One variant's check: a cached verdict of the same folder, rows, labels, transformers.js and runtime
 * (transformers-js-key.ts), marked reused, else checked now. Only verdicts are stored: a load failure
 * may be the machine's and is tried again.
 */
async function cachedCheck(v: TimedVariant, inputs: CachedCheckInputs, progress: Progress): Promise<TransformersJsCheck | null> {
  // Nothing to agree on, nothing to look up (a look-up would count a miss).
  if (labelsToAgreeWith(v, inputs.task) === null) return null;
  const key = await transformersJsKey(v, inputs.task, inputs.dataHash, inputs.rows ?? TRANSFORMERS_JS_ROWS);
  const hit = key === null ? null : await inputs.cache.lookup<TransformersJsCheck>(STEP, key);
  if (hit !== null) {
    progress.step(`${v.id}: transformers.js agreement taken from the cache`);
    return { ...hit.value, reused: true };
  }
  progress.step(`${v.id}: loading in transformers.js`);
  const check = await checkTransformersJs(v, inputs);
  if (key !== null && (check?.state === 'agrees' || check?.state === 'disagrees')) await inputs.cache.store(STEP, key, () => check);
  return check;
}

/** compare's phase after timing: every timed variant checked in turn (failed ones pass through). */
export async function checkAllInTransformersJs(
  records: ReadonlyArray<FailedVariant | TimedVariant>, inputs: CachedCheckInputs, progress: Progress,
): Promise<Array<FailedVariant | TimedVariant>> {
  const out: Array<FailedVariant | TimedVariant> = [];
  for (const v of records) {
    if (v.state === 'failed') {
      out.push(v);
      continue;
    }
    const check = await cachedCheck(v, inputs, progress);
    out.push(check === null ? v : { ...v, transformersJs: check });
  }
  return out;
}
