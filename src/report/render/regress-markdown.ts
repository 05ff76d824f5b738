import { escapeMarkdown, markdownTable } from './markdown-text.js';
import { CHECK_NAMES, hasRegression, NEEDS_VERSION_2, RANK_TEST_LEVEL, type RegressCheck, type RegressResult } from '../verdicts/regress.js';

const STATUS: Record<RegressCheck['status'], string> = { pass: 'ok', fail: 'FAIL', skip: 'skip', inconclusive: 'INCONCLUSIVE' };

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function headlineOf(result: RegressResult, variants: number): string {
  const count = (status: RegressCheck['status']) => {
    const checks = result.checks.filter((c) => c.status === status);
    return { checks: checks.length, variants: new Set(checks.map((c) => c.variantId)).size };
  };
  const failed = count('fail');
  const unsure = count('inconclusive');
  const inconclusive = unsure.checks === 0 ? '' : `${plural(unsure.checks, 'check')} inconclusive in ${unsure.variants} of ${variants} variants`;
  if (!hasRegression(result)) return unsure.checks === 0 ? `no regressions in ${variants} variants` : `no regressions, ${inconclusive}`;
  const failures = `${failed.checks} check${failed.checks === 1 ? '' : 's'} failed in ${failed.variants} of ${variants} variants`;
  return unsure.checks === 0 ? failures : `${failures}; ${inconclusive}`;
}

function accuracyRule(result: RegressResult): string {
  const margin = result.thresholds.accuracyMarginPoints;
  if (margin === undefined) {
    return `accuracy drop ≤ ${result.thresholds.maxAccuracyDropPoints} points (each drop says whether the paired test finds it significant)`;
  }
  return `accuracy: the task score's drop must lie below a margin of ${plural(margin, 'point')}, its whole 95% paired interval`
    + ' (FAIL when the interval lies above it, INCONCLUSIVE when it straddles it, with about how many more rows would decide)';
}

/** The inconclusive column's cell: which checks could not decide, and what would. */
function inconclusiveCell(checks: readonly RegressCheck[]): string {
  return checks.filter((c) => c.status === 'inconclusive').map((c) => {
    if (c.moreRows === undefined) return `${c.check}: no paired interval (needs schema version 2 on both sides)`;
    return `${c.check}: ${Number.isFinite(c.moreRows) ? `about ${c.moreRows} more rows would decide it` : 'no number of rows would decide it'}`;
  }).join('; ');
}

/** The summary `albench regress` prints and appends to the GitHub step summary. */
export function renderRegressMarkdown(result: RegressResult): string {
  const t = result.thresholds;
  const variantIds = [...new Set(result.checks.map((c) => c.variantId))];
  const unpaired = result.warnings.some((w) => w.includes(NEEDS_VERSION_2)) ? ' (without paired statistics: a version-1 report)' : '';
  // Under --margin a check can be INCONCLUSIVE; its column says what would decide it.
  const withInconclusive = t.accuracyMarginPoints !== undefined;
  const rows = variantIds.map((id) => {
    const own = result.checks.filter((x) => x.variantId === id);
    return [
      id,
      ...CHECK_NAMES.map((name) => {
        const c = own.find((x) => x.check === name);
        return c === undefined ? '' : `${STATUS[c.status]}: ${c.detail}`;
      }),
      ...(withInconclusive ? [inconclusiveCell(own)] : []),
    ];
  });
  const parts = [
    `### albench regress: ${headlineOf(result, variantIds.length)}${unpaired}`,
    escapeMarkdown(`Thresholds: ${accuracyRule(result)},`
      + ` p50 latency increase ≤ ${t.maxLatencyIncreasePercent}% (a larger one fails only when a one-sided Mann-Whitney rank test finds the current`
      + ` run's round p50s higher than the baseline's, p ≤ ${RANK_TEST_LEVEL}),`
      + ` size increase ≤ ${t.maxSizeIncreasePercent}%.`),
    markdownTable(['variant', ...CHECK_NAMES, ...(withInconclusive ? ['inconclusive'] : [])], rows),
  ];
  if (result.newVariantIds.length > 0) {
    parts.push(escapeMarkdown(`New in the current report (no baseline to compare with): ${result.newVariantIds.join(', ')}.`));
  }
  if (result.warnings.length > 0) parts.push(result.warnings.map((w) => `- ${escapeMarkdown(w)}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
