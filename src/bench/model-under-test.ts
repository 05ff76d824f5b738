import fs from 'node:fs';
import path from 'node:path';
import { readConfigFile, type EncoderConfig } from '../checkpoint/config.js';
import { MODEL_SPECS } from '../arch/registry.js';
import { headFromArchitectures, HEADS, type HeadName } from '../arch/types.js';
import { countParams, type ParamCounts } from '../arch/params.js';
import { inferenceFlops, type FlopCount } from '../arch/flops.js';
import { readRecord } from '../model-folder/files.js';
import { CONFIG_FILE, modelRoot, RECORD_FILE } from '../model-folder/layout.js';
import { modelBytes, resolveModelFile } from '../model-folder/resolve-model-file.js';
import type { GridPoint } from './grid.js';
import { TOKEN_ID_LIMIT_WITHOUT_CONFIG } from './inputs.js';

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

interface RecordFacts { readonly task: HeadName; readonly params: ParamCounts }

/** Task and parameter counts as `albench convert` recorded them (it knows whether a pooler exists). */
function readConvertFacts(file: string): RecordFacts | null {
  type Recorded = { format?: unknown; settings?: { task?: unknown }; params?: { unique?: { total?: unknown }; executed?: { total?: unknown } } };
  const r = readRecord(file) as Recorded | null;
  const task = r?.settings?.task;
  const ok = r?.format === 'albench-convert-v1' && HEADS.includes(task as HeadName)
    && typeof r.params?.unique?.total === 'number' && typeof r.params.executed?.total === 'number';
  return ok ? { task: task as HeadName, params: r.params as ParamCounts } : null;
}

export function openModelUnderTest(target: string, label?: string): ModelUnderTest {
  const modelFile = resolveModelFile(target);
  const root = modelRoot(modelFile);
  const modelBytesOnDisk = modelBytes(modelFile);
  const configFile = path.join(root, CONFIG_FILE);
  const config = fs.existsSync(configFile) ? readConfigFile(configFile) : null;
  const base = { label: label ?? path.basename(path.resolve(root)), modelFile, modelBytesOnDisk, config };
  if (config === null) return { ...base, task: null, params: null };
  const record = readConvertFacts(path.join(root, RECORD_FILE));
  if (record !== null) return { ...base, ...record };
  const task = headFromArchitectures(config.architectures);
  return { ...base, task, params: countParams(config, MODEL_SPECS[config.modelType].layout(config), task) };
}

function modelFlops(m: ModelUnderTest, p: GridPoint): FlopCount | null {
  if (m.config === null || m.task === null || m.params === null) return null;
  const layout = MODEL_SPECS[m.config.modelType].layout(m.config);
  return inferenceFlops(m.config, layout, m.task, m.params.unique.byComponent.pooler > 0, p.batchSize, p.sequenceLength);
}

/** The ids fed stay below the vocabulary size where config.json gives it. */
export function tokenIdLimit(m: ModelUnderTest): number {
  return m.config?.vocabSize ?? TOKEN_ID_LIMIT_WITHOUT_CONFIG;
}

/** A point's FLOPs and the rate they ran at its p50; null for a bare .onnx file. */
export function flopsAtP50(m: ModelUnderTest, p: GridPoint, p50Ms: number): { flops: FlopCount | null; achievedGflopPerSecondAtP50: number | null } {
  const flops = modelFlops(m, p);
  return { flops, achievedGflopPerSecondAtP50: flops === null ? null : (flops.total / 1e9) * (1000 / p50Ms) };
}
