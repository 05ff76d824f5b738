import path from 'node:path';
import type { ConvertRecord } from './convert.js';
import { safeLine } from '../util/safe-text.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function formatConvertSummary(r: ConvertRecord, outDir: string): string {
  const v = r.validation;
  const check = v === null
    ? 'validation skipped (--no-validate)'
    : `validated against the float64 reference: max |diff| ${v.maxAbsDiff.toExponential(2)} (tolerance ${v.tolerance}) over ${v.cases.length} input cases (${v.cases.map((c) => `${c.inputs} ${c.shape.join('x')}`).join(', ')})`;
  return [
    `wrote ${path.join(outDir, r.output.model)} (${mb(r.output.bytes)}${r.output.externalData ? ` + external data ${r.output.externalData}` : ''}): ${r.settings.modelType} ${r.settings.task}, opset ${r.settings.opset}`,
    `parameters: ${r.params.unique.total.toLocaleString('en-US')} unique, ${r.params.executed.total.toLocaleString('en-US')} executed`,
    check,
  ].map(safeLine).join('\n');
}
