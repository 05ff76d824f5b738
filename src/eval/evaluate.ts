import path from 'node:path';
import { readConfigFile } from '../checkpoint/config.js';
import { ConfigError, OnnxError } from '../errors.js';
import { CONFIG_FILE } from '../model-folder/layout.js';
import { resolveModelFile, resolveModelFileIn } from '../model-folder/resolve-model-file.js';
import { feedsFor } from '../onnx/model-inputs.js';
import { openSession } from '../onnx/session.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { batchBySimilarLength, toOriginalOrder } from '../tokenizers/batching.js';
import { bootstrapInterval, type BootstrapInterval } from './bootstrap.js';
import { readGlueSplit } from '../glue/read-split.js';
import { selectSubset, takeExamples, type SubsetRequest } from '../glue/subset.js';
import { findGlueTask, type GlueTaskId, type MetricKey } from '../glue/tasks.js';
import { argmax, mapLabels, type LabelMapping } from './labels.js';
import { METRICS } from '../glue/metrics.js';
import { padEncodings, type Encoding } from '../tokenizers/encode.js';
import { loadTokenizer } from '../tokenizers/load.js';
import { safeLine } from '../util/safe-text.js';

/** Tokens per example, [CLS] and [SEP] included, unless told (capped by the model's positions). */
export const EVAL_MAX_LENGTH = 128;

export interface EvalOptions {
  /** A converted model folder: config.json, tokenizer files, onnx/model.onnx. */
  readonly modelDir: string;
  /** Which graph in the folder to run (default onnx/model.onnx): a name inside the folder or its onnx/, or a path. */
  readonly modelFile?: string;
  readonly task: string;
  readonly dataDir: string;
  readonly subset: SubsetRequest;
  readonly batchSize?: number;
  readonly maxLength?: number;
  readonly threads?: number;
  readonly progress?: Progress;
}

interface ExamplePrediction { readonly index: number; readonly label: number; readonly pred: number; readonly logits: readonly number[] }

export interface EvalResult {
  readonly schemaVersion: 1;
  readonly model: string;
  readonly modelFile: string;
  readonly task: GlueTaskId;
  readonly taskName: string;
  readonly dataFile: string;
  readonly examples: number;
  readonly subset: { readonly request: SubsetRequest; readonly indices: readonly number[] };
  readonly labels: LabelMapping | null;
  readonly metrics: ReadonlyArray<{ readonly key: MetricKey; readonly value: number; readonly interval95: BootstrapInterval }>;
  readonly settings: { readonly batchSize: number; readonly maxLength: number; readonly threads: number | null };
  readonly seconds: number;
  readonly predictions: readonly ExamplePrediction[];
}

/** Runs a converted model on a GLUE task in onnxruntime-node and scores it with the task's metrics. */
export async function evaluate(opts: EvalOptions): Promise<EvalResult> {
  const progress = opts.progress ?? silentProgress;
  const modelFile = opts.modelFile === undefined ? resolveModelFile(opts.modelDir) : resolveModelFileIn(opts.modelDir, opts.modelFile);
  const configFile = path.join(opts.modelDir, CONFIG_FILE);
  const config = readConfigFile(configFile);
  const task = findGlueTask(opts.task);
  const tokenizer = loadTokenizer(opts.modelDir);
  const data = readGlueSplit(task, 'dev', opts.dataDir);
  const subset = selectSubset(data, opts.subset);
  const examples = takeExamples(data, subset.indices);

  let labels: LabelMapping | null = null;
  if (task.kind === 'classification') labels = mapLabels(config.id2label, task, configFile);
  else if (config.numLabels !== 1) {
    throw new ConfigError(configFile, `${task.name} is a regression task but the model has ${config.numLabels} labels; it needs num_labels 1`);
  }

  const batchSize = opts.batchSize ?? 32;
  const maxLength = Math.min(opts.maxLength ?? EVAL_MAX_LENGTH, config.maxPositionEmbeddings);
  progress.step(`tokenizing ${examples.textA.length} examples`);
  const encoded = examples.textA.map((a, i) => tokenizer.encode(a, examples.textB?.[i], { maxLength }));
  const batches = batchBySimilarLength(encoded.map((e) => e.inputIds.length), batchSize);

  const ort = await import('onnxruntime-node');
  const session = await openSession(modelFile, opts.threads === undefined ? {} : { intraOpNumThreads: opts.threads });
  const started = performance.now();
  try {
    if (!session.outputNames.includes('logits')) {
      throw new OnnxError(modelFile,
        `has no "logits" output (outputs: ${session.outputNames.join(', ')}); convert the model with --task sequence-classification`);
    }
    const outputs: Float32Array[] = [];
    let scored = 0;
    for (const batch of batches) {
      progress.step(`${task.name}: scoring ${scored}/${encoded.length}`);
      scored += batch.indices.length;
      const t = padEncodings([...batch.indices].map((i) => encoded[i] as Encoding), tokenizer.specialIds.pad);
      const result = await session.run(feedsFor(ort, t));
      outputs.push(result['logits']?.data as Float32Array);
    }
    progress.step(`${task.name}: scored ${scored}/${encoded.length}`);
    const seconds = (performance.now() - started) / 1000;
    const width = config.numLabels;
    const logits = toOriginalOrder(batches, outputs, width);
    const gold = examples.labels;
    const pred = new Float64Array(gold.length);
    for (let i = 0; i < gold.length; i++) {
      const row = logits.subarray(i * width, (i + 1) * width);
      if (labels === null) pred[i] = row[0] as number;
      else pred[i] = labels.taskClassOf[argmax(row)] as number;
    }
    progress.done();
    return {
      schemaVersion: 1,
      model: opts.modelDir,
      modelFile,
      task: task.id,
      taskName: task.name,
      dataFile: data.file,
      examples: gold.length,
      subset: { request: subset.request, indices: [...subset.indices] },
      labels,
      metrics: task.metrics.map((key) => ({ key, value: METRICS[key](gold, pred), interval95: bootstrapInterval(METRICS[key], gold, pred, { seed: 0 }) })),
      settings: { batchSize, maxLength, threads: opts.threads ?? null },
      seconds,
      predictions: [...subset.indices].map((index, i) => ({
        index, label: gold[i] as number, pred: pred[i] as number, logits: [...logits.subarray(i * width, (i + 1) * width)],
      })),
    };
  } finally {
    await session.release();
  }
}

export function formatEval(r: EvalResult): string {
  const subset = r.subset.request.kind === 'all' ? 'all' : JSON.stringify(r.subset.request);
  const lines = [`${r.taskName} dev, ${r.examples} examples (${subset}), ${path.relative(process.cwd(), r.modelFile) || r.modelFile}`];
  for (const m of r.metrics) {
    lines.push(`  ${m.key.padEnd(22)} ${m.value.toFixed(4)}  95% CI [${m.interval95.low.toFixed(4)}, ${m.interval95.high.toFixed(4)}] `
      + `(bootstrap, ${m.interval95.resamples} resamples)`);
  }
  if (r.labels?.checked === 'assumed') lines.push('  note: config.json has LABEL_k placeholders; labels were taken in the task\'s order');
  lines.push(
    `  ${r.seconds.toFixed(2)} s, ${(r.examples / r.seconds).toFixed(0)} examples/s (batch ${r.settings.batchSize}, max length ${r.settings.maxLength})`);
  return lines.map(safeLine).join('\n');
}

/** predictions.tsv in the layout of the bundled models' PyTorch predictions: index, label, pred, logit_k. */
export function predictionsTsv(r: EvalResult): string {
  const width = r.predictions[0]?.logits.length ?? 0;
  const header = ['index', 'label', 'pred', ...Array.from({ length: width }, (_, k) => `logit_${k}`)].join('\t');
  return `${header}\n${r.predictions.map((p) => [p.index, p.label, p.pred, ...p.logits].join('\t')).join('\n')}\n`;
}
