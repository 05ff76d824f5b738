import fs from 'node:fs';
import path from 'node:path';
import { copySideFiles } from '../model-folder/files.js';
import { MODEL_PATH, modelFilePath, recordFileFor } from '../model-folder/layout.js';
import { optimizeFile } from '../optimize/optimize.js';
import type { QuantizeOptions } from '../quantize/options.js';
import type { AutoQuantSummary, VariantName } from '../report/types.js';
import { autoQuantize, AUTO_DEFAULTS, type AutoQuantizeRecord } from '../tune/auto-quantize.js';
import type { VariantContext, VariantProducer } from './variants.js';

/**
 * int8-dynamic's recipe (the Attention-fused graph, so query, key and value are one packed group)
 * with the groups the accuracy budget needs kept in float, found on the task's train split.
 */
export function autoQuantized(options: Partial<QuantizeOptions>): VariantProducer {
  const search = (ctx: VariantContext) => ({ ...AUTO_DEFAULTS, task: ctx.task, dataDir: ctx.dataDir, budget: ctx.budget ?? {} });
  return {
    settings: (ctx) => ({ options, ...search(ctx), dataDir: path.resolve(ctx.dataDir) }),
    async produce(fp32Dir, dir, ctx) {
      copySideFiles(fp32Dir, dir);
      const optimized = path.join(dir, modelFilePath('optimized'));
      optimizeFile({ input: path.join(fp32Dir, MODEL_PATH), output: optimized });
      const output = modelFilePath('auto');
      try {
        await autoQuantize({ input: optimized, output: path.join(dir, output), options, ...search(ctx) });
      } finally {
        fs.rmSync(optimized, { force: true });
      }
      return output;
    },
  };
}

/** The search's figures for the report, from the record written beside an int8-auto model file. */
export function autoQuantOf(variant: VariantName, modelFile: string): { autoQuant?: AutoQuantSummary } {
  if (variant !== 'int8-auto') return {};
  const record = JSON.parse(fs.readFileSync(recordFileFor(modelFile), 'utf8')) as AutoQuantizeRecord;
  return { autoQuant: record.auto };
}
