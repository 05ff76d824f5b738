import type { RegressResult } from '../verdicts/regress.js';
import { escapeXml } from './xml.js';

/** JUnit XML for CI systems that show test reports: one testcase per variant per check. */
export function renderJunit(result: RegressResult): string {
  const failures = result.checks.filter((c) => c.status === 'fail').length;
  const skipped = result.checks.filter((c) => c.status === 'skip').length;
  const errors = result.checks.filter((c) => c.status === 'inconclusive').length;
  const counts = `tests="${result.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  const cases = result.checks.map((c) => {
    const open = `    <testcase classname="${escapeXml(c.variantId)}" name="${c.check}" time="0"`;
    const detail = escapeXml(c.detail);
    switch (c.status) {
      case 'pass':
        return `${open}>\n      <system-out>${detail}</system-out>\n    </testcase>`;
      case 'skip':
        return `${open}>\n      <skipped message="${detail}"/>\n    </testcase>`;
      case 'fail':
        return `${open}>\n      <failure message="${detail}" type="regression">${detail}</failure>\n    </testcase>`;
      case 'inconclusive':
        // An error, never a skip: CI systems show skips green, and an undecided gate is not a pass.
        return `${open}>\n      <error message="${detail}" type="inconclusive">${detail}</error>\n    </testcase>`;
    }
  });
  const t = result.thresholds;
  const properties = [
    ['max-accuracy-drop-points', t.maxAccuracyDropPoints],
    ['max-latency-increase-percent', t.maxLatencyIncreasePercent],
    ['max-size-increase-percent', t.maxSizeIncreasePercent],
    ...(t.accuracyMarginPoints === undefined ? [] : [['accuracy-margin-points', t.accuracyMarginPoints]]),
  ].map(([name, value]) => `      <property name="${name}" value="${value}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="albench regress" ${counts}>`,
    `  <testsuite name="albench regress" ${counts}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
