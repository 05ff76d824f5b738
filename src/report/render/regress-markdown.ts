import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { CHECK_NAMES, hasRegression, NEEDS_VERSION_2, RANK_TEST_LEVEL, type RegressCheck, type RegressResult } from '../verdicts/regress.js';

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
  const unpaired = result.warnings.some((w) => w.includes(NEEDS_VERSION_2)) ? ' (without paired statistics: a version-1 report)' : '';
  const rows = variantIds.map((id) => [
    id,
    ...CHECK_NAMES.map((name) => {
      const c = result.checks.find((x) => x.variantId === id && x.check === name);
      return c === undefined ? '' : `${STATUS[c.status]}: ${c.detail}`;
    }),
  ]);
  const parts = [
    `### albench regress: ${headline}${unpaired}`,
    escapeMarkdown(`Thresholds: accuracy drop ≤ ${t.maxAccuracyDropPoints} points (each drop says whether the paired test finds it significant),`
      + ` p50 latency increase ≤ ${t.maxLatencyIncreasePercent}% (a larger one fails only when a one-sided Mann-Whitney rank test finds the current`
      + ` run's round p50s higher than the baseline's, p ≤ ${RANK_TEST_LEVEL}),`
      + ` size increase ≤ ${t.maxSizeIncreasePercent}%.`),
    markdownTable(['variant', ...CHECK_NAMES], rows),
  ];
  if (result.newVariantIds.length > 0) {
    parts.push(escapeMarkdown(`New in the current report (no baseline to compare with): ${result.newVariantIds.join(', ')}.`));
  }
  if (result.warnings.length > 0) parts.push(result.warnings.map((w) => `- ${escapeMarkdown(w)}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
