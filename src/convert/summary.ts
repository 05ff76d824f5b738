import path from 'node:path';
import { mb } from '../util/format.js';
import type { ConvertRecord } from './convert.js';
import { safeLine } from '../util/safe-text.js';

export function formatConvertSummary(r: ConvertRecord, outDir: string): string {
  const v = r.validation;
  const cases = v === null ? '' : v.cases.map((c) => `${c.inputs} ${c.shape.join('x')}`).join(', ');
  const check = v === null
    ? 'validation skipped (--no-validate)'
    : `validated against the float64 reference: max |diff| ${v.maxAbsDiff.toExponential(2)} (tolerance ${v.tolerance})`
      + ` over ${v.cases.length} input cases (${cases})`;
  const external = r.output.externalData ? ` + external data ${r.output.externalData}` : '';
  const settings = `${r.settings.modelType} ${r.settings.task}, opset ${r.settings.opset}`;
  return [
    `wrote ${path.join(outDir, r.output.model)} (${mb(r.output.bytes, 1)} MB${external}): ${settings}`,
    `parameters: ${r.params.unique.total.toLocaleString('en-US')} unique, ${r.params.executed.total.toLocaleString('en-US')} executed`,
    check,
  ].map(safeLine).join('\n');
}
