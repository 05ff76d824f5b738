import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile, type EncoderConfig } from '../checkpoint/config.js';
import { MODEL_PATH, RECORD_FILE } from '../convert/convert.js';
import { MODEL_SPECS } from '../arch/registry.js';
import { headFromArchitectures, HEADS, type HeadName } from '../arch/types.js';
import { OnnxError } from '../errors.js';
import { countParams, type ParamCounts } from '../arch/params.js';
import { inferenceFlops, type FlopCount } from '../arch/flops.js';
import type { GridPoint } from './grid.js';

/** One model to bench and what is known about it without running it. */
export interface ModelUnderTest {
  readonly label: string;
  readonly modelFile: string;
  /** The .onnx file plus its external-data file when there is one. */
  readonly modelBytesOnDisk: number;
  /** From config.json beside the model; null for a bare .onnx file. */
  readonly config: EncoderConfig | null;
  readonly task: HeadName | null;
  readonly params: ParamCounts | null;
}

const USAGE_HINT = 'give a folder written by `albench convert` (with onnx/model.onnx) or an .onnx file';

function findModelFile(target: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new OnnxError(target, `no such file or folder; ${USAGE_HINT}`);
  }
  if (!stat.isDirectory()) return target;
  const found = [MODEL_PATH, 'model.onnx'].map((f) => path.join(target, f)).find((f) => fs.existsSync(f));
  if (found === undefined) throw new OnnxError(target, `has neither ${MODEL_PATH} nor model.onnx; ${USAGE_HINT}`);
  return found;
}

/** The Hugging Face layout keeps config.json one level above onnx/model.onnx. */
function modelRoot(modelFile: string): string {
  const dir = path.dirname(modelFile);
  return path.basename(dir) === 'onnx' ? path.dirname(dir) : dir;
}

interface RecordFacts { readonly task: HeadName; readonly params: ParamCounts }

/** Task and parameter counts as `albench convert` recorded them (it knows whether a pooler exists). */
function readRecord(file: string): RecordFacts | null {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const r = raw as { format?: unknown; settings?: { task?: unknown }; params?: { unique?: { total?: unknown }; executed?: { total?: unknown } } };
  const task = r.settings?.task;
  const ok = r.format === 'albench-convert-v1' && HEADS.includes(task as HeadName)
    && typeof r.params?.unique?.total === 'number' && typeof r.params.executed?.total === 'number';
  return ok ? { task: task as HeadName, params: r.params as ParamCounts } : null;
}

export function openModelUnderTest(target: string, label?: string): ModelUnderTest {
  const modelFile = findModelFile(target);
  const root = modelRoot(modelFile);
  const external = `${modelFile}_data`;
  const modelBytesOnDisk = fs.statSync(modelFile).size + (fs.existsSync(external) ? fs.statSync(external).size : 0);
  const configFile = path.join(root, 'config.json');
  const config = fs.existsSync(configFile) ? readConfigFile(configFile) : null;
  const base = { label: label ?? path.basename(path.resolve(root)), modelFile, modelBytesOnDisk, config };
  if (config === null) return { ...base, task: null, params: null };
  const record = readRecord(path.join(root, RECORD_FILE));
  if (record !== null) return { ...base, ...record };
  const task = headFromArchitectures(config.architectures);
  return { ...base, task, params: countParams(config, MODEL_SPECS[config.modelType].layout(config), task) };
}

export function modelFlops(m: ModelUnderTest, p: GridPoint): FlopCount | null {
  if (m.config === null || m.task === null || m.params === null) return null;
  const layout = MODEL_SPECS[m.config.modelType].layout(m.config);
  return inferenceFlops(m.config, layout, m.task, m.params.unique.byComponent.pooler > 0, p.batchSize, p.sequenceLength);
}
