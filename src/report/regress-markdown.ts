import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { CHECK_NAMES, hasRegression, type RegressCheck, type RegressResult } from './regress.js';

const STATUS: Record<RegressCheck['status'], string> = { pass: 'ok', fail: 'FAIL', skip: 'skip' };

/** The summary `albench regress` prints and appends to the GitHub step summary. */
export function renderRegressMarkdown(result: RegressResult): string {
  const t = result.thresholds;
  const failures = result.checks.filter((c) => c.status === 'fail');
  const failedVariants = new Set(failures.map((c) => c.variantId));
  const variantIds = [...new Set(result.checks.map((c) => c.variantId))];
  const headline = hasRegression(result)
    ? `${failures.length} check${failures.length === 1 ? '' : 's'} failed in ${failedVariants.size} of ${variantIds.length} variants`
    : `no regressions in ${variantIds.length} variants`;
  const rows = variantIds.map((id) => [
    id,
    ...CHECK_NAMES.map((name) => {
      const c = result.checks.find((x) => x.variantId === id && x.check === name);
      return c === undefined ? '' : `${STATUS[c.status]}: ${c.detail}`;
    }),
  ]);
  const parts = [
    `### albench regress: ${headline}`,
    escapeMarkdown(`Thresholds: accuracy drop ≤ ${t.maxAccuracyDropPoints} points, p50 latency increase ≤ ${t.maxLatencyIncreasePercent}%`
      + ` (and beyond the runs' combined margin of error), size increase ≤ ${t.maxSizeIncreasePercent}%.`),
    markdownTable(['variant', ...CHECK_NAMES], rows),
  ];
  if (result.newVariantIds.length > 0) {
    parts.push(escapeMarkdown(`New in the current report (no baseline to compare with): ${result.newVariantIds.join(', ')}.`));
  }
  if (result.warnings.length > 0) parts.push(result.warnings.map((w) => `- ${escapeMarkdown(w)}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
