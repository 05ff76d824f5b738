import path from 'node:path';
import { mb, percent } from '../util/format.js';
import { REPORT_FILES } from '../report/write-report.js';
import { headlineMetric } from '../report/model/figures.js';
import type { CompareResult } from './compare.js';
import { safeLine } from '../util/safe-text.js';

/** Timings are not cache steps unless --reuse-timings: say how many were measured and how many reused. */
function timingCounts(r: CompareResult): string {
  const firstPoints = r.report.variants.flatMap((v) => (v.state === 'completed' && v.latency[0] !== undefined ? [v.latency[0]] : []));
  const fresh = firstPoints.filter((p) => !p.reused);
  const rounds = [...new Set(fresh.map((p) => p.rounds))].join(' or ');
  return `${fresh.length} variant(s) timed afresh${fresh.length > 0 ? ` in ${rounds} rounds` : ''}, ${firstPoints.length - fresh.length} timing(s) reused`;
}

/** What compare prints: one line per variant, the recommendation, where the reports are. */
export function formatCompareSummary(r: CompareResult): string {
  const lines = r.report.variants.map((v) => {
    if (v.state === 'failed') return `  ${v.id.padEnd(28)} FAILED: ${v.error.message}`;
    const m = headlineMetric(v.metrics);
    const l = v.latency[0];
    const metric = m ? `${m.key} ${percent(m.value)} (n=${m.examples})` : '';
    const latency = l ? `p50 ${l.p50Ms.toFixed(2)} ms (b${l.batchSize} s${l.sequenceLength})` : '';
    return `  ${v.id.padEnd(28)} ${mb(v.sizeBytes, 2).padStart(7)} MB  ${metric}  ${latency}`;
  });
  return [
    ...lines,
    `recommendation: ${r.report.recommendation.reason}`,
    `reports: ${REPORT_FILES.map((f) => path.join(r.reportDir, f)).join(', ')}`,
    `${r.seconds.toFixed(1)} s, ${r.cacheHits} cached step(s) reused, ${r.cacheMisses} computed; ${timingCounts(r)}`,
  ].map(safeLine).join('\n');
}
