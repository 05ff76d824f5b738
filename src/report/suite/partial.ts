import type { SuiteReport, SuiteShard } from '../model/suite-types.js';

/** The line md and html print atop a partial suite report; undefined for a whole one. */
export function suitePartialNote(report: SuiteReport): string | undefined {
  const s = report.shard;
  if (s === undefined) return undefined;
  const runs = s.runs.map((r) => `${r.family} ${r.task}`).join(', ') || 'none';
  return `Partial report (shard ${s.index}/${s.count}, 0-based): it holds only the compare runs ${runs}; the other cells read NOT_RUN`
    + ' and the averages, recommendation and claims cover this slice alone. albench merge joins the shards into the whole suite.';
}

/** A shard's suite report: its place in the sharded run, with the recommendation labelled as drawn from its slice. */
export function partialSuiteReport(report: SuiteReport, shard: SuiteShard): SuiteReport {
  const reason = `Partial report (shard ${shard.index}/${shard.count}, 0-based): drawn from this shard's runs only; albench merge gives the whole suite's. `
    + report.recommendation.reason;
  return { ...report, recommendation: { ...report.recommendation, reason }, shard };
}
