import path from 'node:path';
import { computeFacts } from '../bench/compute-facts.js';
import { MODEL_PATH } from '../model-folder/layout.js';
import { evaluate } from '../eval/evaluate.js';
import type { GlueTask } from '../glue/tasks.js';
import type { Constraints, FailedVariant, SubsetSetting, VariantName } from '../report/model/types.js';
import { prefixedProgress, type Progress } from '../util/progress.js';
import { ALBENCH_VERSION } from '../version.js';
import type { StepCache } from '../cache/cache.js';
import { failedVariant, type ConvertedModel, type EvalFacts, type PreparedVariant, type VariantFiles } from './variant-record.js';
import { withAgreementWithFp32 } from '../report/verdicts/agreement.js';
import { VARIANT_PRODUCERS } from './variants.js';

/** What every variant is evaluated on; `dataHash` is the dev split's sha256, part of the eval key. */
export interface EvalSetting {
  readonly task: GlueTask;
  readonly dataDir: string;
  readonly subset: SubsetSetting;
  readonly dataHash: string | undefined;
  /** int8-dynamic keeps its vectors float32 (compare --float32-vectors); part of that variant's key. */
  readonly float32Vectors?: boolean;
  /** int8-auto's accuracy budget comes from --max-drop and --min-accuracy. */
  readonly constraints?: Constraints;
}

interface BuiltVariant {
  readonly files: VariantFiles;
  readonly variantKey: unknown;
  readonly recipe?: readonly string[];
}

type EvaluatedVariant = Omit<PreparedVariant, 'metrics' | 'predictions' | 'gold'> & { readonly eval: EvalFacts };

/** fp32 is the converted folder itself; every other variant is produced from it into the cache. */
async function buildVariant(model: ConvertedModel, variant: VariantName, setting: EvalSetting, cache: StepCache): Promise<BuiltVariant> {
  if (variant === 'fp32') return { files: { dir: model.fp32Dir, modelFile: path.join(model.fp32Dir, MODEL_PATH) }, variantKey: model.convertKey };
  const producer = VARIANT_PRODUCERS[variant];
  const { maxDropPoints, minAccuracy } = setting.constraints ?? {};
  const budget = { ...(maxDropPoints === undefined ? {} : { maxDropPoints }), ...(minAccuracy === undefined ? {} : { minMetric: minAccuracy }) };
  const slice = setting.subset.calibrationSlice;
  const context = {
    task: setting.task.id, dataDir: setting.dataDir, float32Vectors: setting.float32Vectors ?? false, budget, ...(slice ? { calibrationSlice: slice } : {}),
  };
  const computedBy = producer.runsModel ? { computedBy: await computeFacts('cpu') } : {};
  const variantKey = { v: ALBENCH_VERSION, from: model.convertKey, variant, settings: producer.settings(context), ...computedBy };
  const made = await cache.get('variant', variantKey, (dir) => producer.produce(model.fp32Dir, dir, context));
  const recipe = producer.recipe?.(context);
  return { files: { dir: made.dir, modelFile: path.join(made.dir, made.value) }, variantKey, ...(recipe ? { recipe } : {}) };
}

async function evaluateVariant(built: BuiltVariant, setting: EvalSetting, cache: StepCache, progress: Progress): Promise<EvalFacts> {
  const { task, dataDir, subset, dataHash } = setting;
  // `facts` names the stored shape: entries from before per-row values were kept are not reused. Predictions
  // come from onnxruntime on this CPU: `computedBy` keeps one machine's (or one release's) from standing for another's.
  const evalKey = { variantKey: built.variantKey, task: task.id, subset, dataHash, facts: 'per-row', computedBy: await computeFacts('cpu') };
  const evaluated = await cache.get<EvalFacts>('eval', evalKey, async () => {
    const r = await evaluate({ modelDir: built.files.dir, modelFile: built.files.modelFile, task: task.id, dataDir, subset, progress });
    return {
      metrics: r.metrics.map((m) => ({ key: m.key, value: m.value, examples: r.examples, ci95Low: m.interval95.low, ci95High: m.interval95.high })),
      rows: r.predictions.map((p) => p.index),
      predictions: r.predictions.map((p) => p.pred),
      gold: r.predictions.map((p) => p.label),
    };
  });
  return evaluated.value;
}

/** An evaluated variant in the report's terms: its metrics, and its predictions and gold values per row (labels or scores by the task's kind). */
function prepared(v: EvaluatedVariant, setting: EvalSetting): PreparedVariant {
  const { eval: facts, ...rest } = v;
  const kind = setting.task.kind === 'regression' ? 'scores' : 'labels';
  return {
    ...rest,
    metrics: facts.metrics,
    predictions: { rows: facts.rows, [kind]: facts.predictions },
    gold: { rows: facts.rows, [kind]: facts.gold },
  };
}

/**
 * Builds and evaluates each requested variant of one converted model, each step cached. A variant
 * that fails keeps its reason; the others still go on.
 */
export async function prepareVariants(
  model: ConvertedModel, variants: readonly VariantName[], setting: EvalSetting, cache: StepCache, progress: Progress,
): Promise<Array<FailedVariant | PreparedVariant>> {
  const records: Array<FailedVariant | EvaluatedVariant> = [];
  for (const variant of variants) {
    const identity = { id: `${model.facts.id}/${variant}`, model: model.facts.id, variant };
    try {
      progress.step(`${identity.id}: building`);
      const built = await buildVariant(model, variant, setting, cache);
      progress.step(`${identity.id}: evaluating on ${setting.task.name}`);
      const facts = await evaluateVariant(built, setting, cache, prefixedProgress(progress, identity.id));
      const recipe = built.recipe ? { recipe: built.recipe } : {};
      records.push({ ...identity, state: 'prepared', files: built.files, params: model.params, variantKey: built.variantKey, ...recipe, eval: facts });
    } catch (e) {
      records.push(failedVariant(identity, e));
    }
  }
  return withAgreementWithFp32(records.map((r) => (r.state === 'failed' ? r : prepared(r, setting))));
}
