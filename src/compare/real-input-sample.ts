import path from 'node:path';
import { readConfigFile } from '../checkpoint/config.js';
import type { RequestInputs } from '../bench/deployment/requests.js';
import { EVAL_MAX_LENGTH } from '../eval/evaluate.js';
import { readGlueSplit } from '../glue/read-split.js';
import { takeExamples } from '../glue/subset.js';
import type { GlueTask } from '../glue/tasks.js';
import { CONFIG_FILE } from '../model-folder/layout.js';
import type { RealInputSample } from '../report/model/deployment-types.js';
import { loadTokenizer } from '../tokenizers/load.js';
import { seededRandom } from '../util/random.js';
import type { TimedVariant } from './variant-record.js';

/** A model's sample of real rows: what the report records, and the requests that feed the timing. */
export interface ModelSample {
  readonly sample: RealInputSample;
  readonly inputs: Extract<RequestInputs, { kind: 'rows' }>;
}

/** `size` of `rows`, seeded (a partial Fisher-Yates shuffle), ascending; all of them when there are no more. */
function sampleRows(rows: readonly number[], size: number, seed: number): number[] {
  const pool = [...rows];
  if (pool.length <= size) return pool.sort((a, b) => a - b);
  const random = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + random.below(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  return pool.slice(0, size).sort((a, b) => a - b);
}

/**
 * Per model, a seeded sample of the rows its variants were scored on, tokenized by the model's own
 * tokenizer as evaluation tokenizes them (same truncation), unpadded: each row keeps its own length.
 */
export function realInputSamples(variants: readonly TimedVariant[], task: GlueTask, dataDir: string, size: number, seed: number): Map<string, ModelSample> {
  const samples = new Map<string, ModelSample>();
  const data = variants.length > 0 ? readGlueSplit(task, 'dev', dataDir) : undefined;
  for (const v of variants) {
    if (data === undefined || samples.has(v.model)) continue;
    const rows = sampleRows(v.predictions.rows, size, seed);
    const examples = takeExamples(data, Int32Array.from(rows));
    const tokenizer = loadTokenizer(v.files.dir);
    const maxLength = Math.min(EVAL_MAX_LENGTH, readConfigFile(path.join(v.files.dir, CONFIG_FILE)).maxPositionEmbeddings);
    const encoded = examples.textA.map((a, i) => tokenizer.encode(a, examples.textB?.[i], { maxLength }));
    samples.set(v.model, {
      sample: { model: v.model, rows, tokenCounts: encoded.map((e) => e.inputIds.length), scoredRows: v.predictions.rows.length },
      inputs: { kind: 'rows', rows: encoded.map((e) => ({ inputIds: [...e.inputIds], tokenTypeIds: [...e.tokenTypeIds] })) },
    });
  }
  return samples;
}
