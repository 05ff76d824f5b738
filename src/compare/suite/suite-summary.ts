import path from 'node:path';
import { mb, points } from '../../util/format.js';
import { REPORT_FILES } from '../../report/write-report.js';
import { safeLine } from '../../util/safe-text.js';
import type { SuiteResult } from './run-suite.js';

/** What compare --suite prints: one line per family x variant with its averages, the recommendation, where the reports are. */
export function formatSuiteSummary(r: SuiteResult): string {
  const avg = (x: number | undefined) => (x === undefined ? '—' : points(x, 1));
  const lines = r.report.rows.map((row) => {
    const failed = row.cells.filter((c) => c.state === 'failed').map((c) => c.task);
    const tail = failed.length > 0 ? `  FAILED on ${failed.join(', ')}` : '';
    const size = row.meanSizeBytes === undefined ? '' : `  ${mb(row.meanSizeBytes)} MB (mean)`;
    return `  ${row.id.padEnd(28)} GLUE avg ${avg(row.glueAverage)}  paper-style ${avg(row.paperStyleAverage)}${size}${tail}`;
  });
  const fresh = r.runs.reduce((n, run) => n + run.result.report.variants.filter((v) => v.state === 'completed' && v.latency[0]?.reused === false).length, 0);
  return [
    ...lines,
    `recommendation: ${r.report.recommendation.reason}`,
    `reports: ${REPORT_FILES.map((f) => path.join(r.reportDir, f)).join(', ')}`,
    `${r.seconds.toFixed(1)} s, ${r.runs.length} compare run(s), ${r.cacheHits} cached step(s) reused, ${r.cacheMisses} computed; `
      + `${fresh} variant timing(s) measured afresh`,
  ].map(safeLine).join('\n');
}
