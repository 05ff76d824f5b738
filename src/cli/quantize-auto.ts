import { UsageError } from '../errors.js';
import { CALIBRATION_DEFAULTS } from '../quantize/calibrate/calibrate.js';
import { mb } from '../util/format.js';
import { autoQuantLine, sensitivityTableMarkdown } from '../report/render/sensitivity.js';
import { autoQuantize, type AutoQuantizeRecord } from '../tune/auto-quantize.js';
import { consoleProgress } from '../util/progress.js';
import type { QuantizeOptions } from '../quantize/options.js';
import type { CalibrationMethod } from '../quantize/calibrate/estimator.js';
import { recordFileFor } from '../model-folder/layout.js';

/** The flags of `albench quantize` the search reads. */
interface AutoQuantizeFlags {
  output?: string; exclude?: string[]; calibrate?: string; samples: number; method: CalibrationMethod; percentile: number; seed: number; data: string;
  threads?: number; maxDrop?: number; minAccuracy?: number; task?: string; maxFloat: number;
}

/** `albench quantize --max-drop`: the recipe the other flags describe, searched for the groups to keep in float. */
export function autoQuantizeWith(model: string, o: AutoQuantizeFlags, options: Partial<QuantizeOptions>): Promise<AutoQuantizeRecord> {
  const task = o.task ?? o.calibrate;
  if (task === undefined) throw new UsageError('--max-drop and --min-accuracy need --task <glue task>: the budget is checked on its train split');
  if ((o.exclude ?? []).length > 0) throw new UsageError('--exclude and --max-drop both choose what stays in float; use one of them');
  if (!(o.maxFloat > 0 && o.maxFloat <= 100)) throw new UsageError(`--max-float must be a percentage in (0, 100], got ${o.maxFloat}`);
  return autoQuantize({
    input: model, ...(o.output ? { output: o.output } : {}), options,
    ...(o.calibrate === undefined ? {} : {
      calibration: {
        ...CALIBRATION_DEFAULTS, task: o.calibrate, dataDir: o.data, samples: o.samples, seed: o.seed, method: o.method, percentile: o.percentile,
      },
    }),
    task, dataDir: o.data, samples: o.samples, seed: o.seed, maxFloatShare: o.maxFloat / 100,
    budget: { ...(o.maxDrop === undefined ? {} : { maxDropPoints: o.maxDrop }), ...(o.minAccuracy === undefined ? {} : { minMetric: o.minAccuracy / 100 }) },
    ...(o.threads ? { threads: o.threads } : {}), progress: consoleProgress(),
  });
}

export function formatAutoQuantize(r: AutoQuantizeRecord): string {
  return [
    `${r.output.model}: ${mb(r.input.bytes, 1)} MB -> ${mb(r.output.bytes, 1)} MB (${(r.input.bytes / r.output.bytes).toFixed(2)}x smaller)`,
    autoQuantLine(r.auto),
    '',
    sensitivityTableMarkdown(r.auto),
    '',
    `record: ${recordFileFor(r.output.model)}`,
  ].join('\n');
}
