import { groupLabel, type QuantGroup } from './groups.js';
import { candidateBytes, scoreCandidate, type ScoredCandidate, type SearchContext } from './candidate.js';

/**
 * What one group costs, measured by quantizing that group alone (every other group in float).
 * Restoring one group in an all-quantized model was tried first: on a model with an outlier
 * channel in every layer each restoration left the other layers' damage in place, so every group
 * scored nearly the same KL and the ranking was noise. Quantized alone, each
 * group's own harm shows; the errors that compound across groups are caught by the search, which
 * scores every cumulative candidate as it will run.
 */
export interface GroupSensitivity {
  readonly group: QuantGroup;
  readonly label: string;
  /** Bytes the file grows by when this group stays in float (exact: both files were written). */
  readonly bytesAdded: number;
  /** Mean KL(fp32 || candidate) of the logits with only this group quantized, nats per example. */
  readonly divergence: number;
  /** The sample metric with only this group quantized. */
  readonly metric: number;
}

export interface SensitivityScan {
  readonly allQuantized: ScoredCandidate;
  readonly groups: readonly GroupSensitivity[];
}

export async function scanSensitivity(ctx: SearchContext, groups: readonly QuantGroup[], onGroup?: (done: number) => void): Promise<SensitivityScan> {
  const allQuantized = await scoreCandidate(ctx, []);
  // The baseline of bytesAdded: only its size is used, so it is written but not run over the sample.
  const allFloatBytes = await candidateBytes(ctx, groups);
  const scanned: GroupSensitivity[] = [];
  for (const group of groups) {
    const alone = await scoreCandidate(ctx, groups.filter((g) => g !== group));
    scanned.push({
      group,
      label: groupLabel(group),
      bytesAdded: Math.max(0, allFloatBytes - alone.bytes),
      divergence: alone.divergence,
      metric: alone.metric,
    });
    onGroup?.(scanned.length);
  }
  return { allQuantized, groups: scanned };
}

/** Most divergence per byte first; a lower metric breaks ties, then fewer bytes. */
export function rankBySensitivityPerByte(groups: readonly GroupSensitivity[]): GroupSensitivity[] {
  const perByte = (g: GroupSensitivity) => Math.max(0, g.divergence) / Math.max(1, g.bytesAdded);
  return [...groups].sort((a, b) => perByte(b) - perByte(a) || a.metric - b.metric || a.bytesAdded - b.bytesAdded);
}
